"""Image uploads: real JPEG, PNG or WebP pictures only, within the size and pixel limits."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.validators import MAX_IMAGE_BYTES, validate_image_upload


def _image(fmt: str, size=(20, 10)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format=fmt)
    return SimpleUploadedFile(f"picture.{fmt.lower()}", buffer.getvalue())


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_real_pictures_pass_and_the_file_is_left_where_it_was(fmt):
    upload = _image(fmt)
    upload.seek(3)
    validate_image_upload(upload)
    assert upload.tell() == 3


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("x.jpg", b"not an image at all"), "invalid_image"),
        (_image("GIF"), "invalid_image_format"),
        (SimpleUploadedFile("big.jpg", b"\0" * (MAX_IMAGE_BYTES + 1)), "file_too_large"),
    ],
)
def test_anything_else_is_refused_with_a_reason(upload, code):
    with pytest.raises(ValidationError) as refused:
        validate_image_upload(upload)
    assert refused.value.code == code
    assert refused.value.messages[0]
