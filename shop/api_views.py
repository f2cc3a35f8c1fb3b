"""Answers of /api/ that no app owns: an unknown address is a JSON 404, not the HTML page."""

from django.urls import Resolver404, resolve
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions
from rest_framework.views import APIView


@extend_schema(exclude=True)
class ApiNotFound(APIView):
    """Every method of an address under /api/ that names no endpoint."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        path = request.path
        message = f"No API endpoint at {path}."
        if not path.endswith("/"):
            try:
                match = resolve(path + "/")
            except Resolver404:
                match = None
            if match is not None and match.func is not api_not_found:
                message += f" Did you mean {path}/ (with the trailing slash)?"
        raise exceptions.NotFound(message)


api_not_found = ApiNotFound.as_view()
