"""The site's URLs plus the two baselines of bench/pages.py."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


def trivial(request):
    """The issue's trivial Django view: a fixed response; it touches neither session nor user."""
    return HttpResponse("ok")


def layout(request):
    """The site's layout with nothing in it: header, banners and context processors every page pays for."""
    return render(request, "base.html")


urlpatterns = [path("bench/trivial/", trivial), path("bench/layout/", layout), path("", include("config.urls"))]
