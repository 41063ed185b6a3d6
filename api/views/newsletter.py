"""POST /api/v1/newsletter/subscribe/: the newsletter sign-up, as the site's box does it."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from core.clients import client_ip
from newsletter.selectors import list_list_public
from newsletter.services import DIGEST_LIST_SLUG, InvalidChoice, InvalidEmail, subscriber_signup

from ..conditional import ConditionalGetMixin
from ..schema import UNKNOWN_NEWSLETTER, errors
from ..serializers.comments import MessageSerializer, SubscribeSerializer
from .base import StrictQueryParamsMixin

ACCEPTED = "Check your inbox: we sent a link to confirm the subscription."


class SubscribeView(ConditionalGetMixin, StrictQueryParamsMixin, GenericAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = SubscribeSerializer

    @extend_schema(
        summary="Sign up to a newsletter",
        description="Double opt-in: the address gets a confirmation link. The answer is the "
        "same whatever the address's state, so it reveals nothing about who subscribes.",
        request=SubscribeSerializer,
        examples=[
            OpenApiExample(
                "The daily digest", value={"email": "reader@example.org"}, request_only=True
            )
        ],
        responses={202: MessageSerializer, **errors(400, 401, 429, rules=(UNKNOWN_NEWSLETTER,))},
    )
    def post(self, request):
        serializer = SubscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The serializer refused slugs that are not public newsletters.
        wanted = data.get("lists") or [DIGEST_LIST_SLUG]
        chosen = [lst for lst in list_list_public() if lst.slug in wanted]
        if not chosen:
            raise ValidationError({"lists": ["No newsletter is open for sign-up."]})
        try:
            subscriber_signup(
                email=data["email"], lists=chosen, source="api", ip=client_ip(request)
            )
        except InvalidEmail as exc:
            raise ValidationError({"email": [exc.message]}) from None
        except InvalidChoice as exc:
            raise ValidationError({"lists": [exc.message]}) from None
        return Response({"detail": ACCEPTED}, status=status.HTTP_202_ACCEPTED)
