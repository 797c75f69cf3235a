from django.db.models import QuerySet
from django.utils import timezone

from safety.models import DrugAlert


def alerts_active() -> QuerySet[DrugAlert]:
    return DrugAlert.objects.approved().filter(expires_at__gt=timezone.now()).order_by("-created")
