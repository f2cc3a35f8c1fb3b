"""The customer's side of fulfilment: downloading a service's result. Thin views."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors


@never_cache
@login_required
@require_GET
def order_attachment(request, reference: str, service_id: int):
    """A service's result (e.g. the test report PDF), to its order's customer only."""
    service = selectors.attachment_of(
        customer=request.user, reference=reference, service_id=service_id
    )
    response = FileResponse(
        service.result.open("rb"), as_attachment=True, filename=service.result_name or None
    )
    response["X-Robots-Tag"] = "noindex"
    response["X-Content-Type-Options"] = "nosniff"
    return response
