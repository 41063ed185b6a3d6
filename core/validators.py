"""Upload validation shared by every image field (author photos, article hero images)."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000


def validate_image_upload(file) -> None:
    """Accept only real JPEG, PNG or WebP images up to 10 MB, whatever the file name says."""
    if file.size is not None and file.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            f"The image is {filesizeformat(file.size)}; the limit is "
            f"{filesizeformat(MAX_IMAGE_BYTES)}.",
            code="file_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError("The image has too many pixels.", code="too_many_pixels")
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            "Upload a valid image: this file is not a JPEG, PNG or WebP picture.",
            code="invalid_image",
        ) from None
    finally:
        file.seek(position)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            f"{image_format} images are not accepted; upload JPEG, PNG or WebP.",
            code="invalid_image_format",
        )
