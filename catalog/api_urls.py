from rest_framework.routers import SimpleRouter

from .api import PartViewSet, PriceViewSet, StockViewSet

router = SimpleRouter()
router.register("parts", PartViewSet, basename="part")
router.register("prices", PriceViewSet, basename="price")
router.register("stock", StockViewSet, basename="stock")

urlpatterns = router.urls
