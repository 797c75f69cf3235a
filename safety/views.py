from django.shortcuts import render

from safety.selectors import alerts_active


def alert_list(request):
    return render(request, "safety/alerts.html", {"alerts": alerts_active()})
