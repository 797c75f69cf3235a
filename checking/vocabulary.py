"""The words a result is written in: substances, what a sample was sold as, methods and regions.

A fixed vocabulary keeps results comparable (the charts count "fentanyl" once, not "Fentanyl", "fent" and
"fentanil") and lets an import refuse a typo rather than store it. Each substance belongs to a group; the
five groups of CONCERNS are what the charts follow. Regions come from the deployment (`SUPPLY_REGIONS`).
"""

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

# The groups the charts follow, in their order: (key, label).
CONCERNS: tuple[tuple[str, str], ...] = (
    ("fentanyl", _("fentanyl")),
    ("xylazine", _("xylazine")),
    ("nitazenes", _("nitazenes")),
    ("benzodiazepines", _("benzodiazepines")),
    ("medetomidine", _("medetomidine")),
)
CONCERN_KEYS = tuple(key for key, _label in CONCERNS)

# key -> (label, group). A substance's group is its own key unless it belongs to a concern group.
SUBSTANCES: dict[str, tuple[str, str]] = {
    "fentanyl": (_("fentanyl"), "fentanyl"),
    "fluorofentanyl": (_("fluorofentanyl"), "fentanyl"),
    "carfentanil": (_("carfentanil"), "fentanyl"),
    "acetylfentanyl": (_("acetylfentanyl"), "fentanyl"),
    "xylazine": (_("xylazine"), "xylazine"),
    "nitazene": (_("a nitazene (unidentified)"), "nitazenes"),
    "protonitazene": (_("protonitazene"), "nitazenes"),
    "metonitazene": (_("metonitazene"), "nitazenes"),
    "isotonitazene": (_("isotonitazene"), "nitazenes"),
    "n-pyrrolidino-etonitazene": (_("N-pyrrolidino etonitazene"), "nitazenes"),
    "benzodiazepine": (_("a benzodiazepine (unidentified)"), "benzodiazepines"),
    "bromazolam": (_("bromazolam"), "benzodiazepines"),
    "etizolam": (_("etizolam"), "benzodiazepines"),
    "alprazolam": (_("alprazolam"), "benzodiazepines"),
    "desalkylgidazepam": (_("desalkylgidazepam"), "benzodiazepines"),
    "medetomidine": (_("medetomidine"), "medetomidine"),
    "heroin": (_("heroin"), "heroin"),
    "oxycodone": (_("oxycodone"), "oxycodone"),
    "methadone": (_("methadone"), "methadone"),
    "cocaine": (_("cocaine"), "cocaine"),
    "methamphetamine": (_("methamphetamine"), "methamphetamine"),
    "mdma": (_("MDMA"), "mdma"),
    "ketamine": (_("ketamine"), "ketamine"),
    "caffeine": (_("caffeine"), "caffeine"),
    "lidocaine": (_("lidocaine"), "lidocaine"),
    "levamisole": (_("levamisole"), "levamisole"),
    "phenacetin": (_("phenacetin"), "phenacetin"),
    "mannitol": (_("mannitol"), "mannitol"),
    "4-anpp": (_("4-ANPP (a fentanyl precursor)"), "fentanyl"),
    "cutting-agent": (_("a cutting agent (sugar, starch)"), "cutting-agent"),
}

# What a sample was sold as: key -> label.
SOLD_AS: dict[str, str] = {
    "down": _("down (opioid, unspecified)"),
    "fentanyl": _("fentanyl"),
    "heroin": _("heroin"),
    "oxycodone": _("oxycodone (pill)"),
    "alprazolam": _("alprazolam / Xanax (pill)"),
    "cocaine": _("cocaine"),
    "crack": _("crack cocaine"),
    "methamphetamine": _("methamphetamine"),
    "mdma": _("MDMA"),
    "ketamine": _("ketamine"),
    "unknown": _("unknown"),
}


def substance_label(key: str) -> str:
    entry = SUBSTANCES.get(key)
    return str(entry[0]) if entry else key


def substance_group(key: str) -> str:
    return SUBSTANCES[key][1]


def sold_as_label(key: str) -> str:
    return str(SOLD_AS.get(key, key))


def regions() -> list[str]:
    """The deployment's regions, as configured (`SUPPLY_REGIONS`)."""
    return list(settings.SUPPLY_REGIONS)


def region_named(name: str) -> str | None:
    """The configured region called `name` (case and spacing aside), or None."""
    wanted = " ".join((name or "").split()).casefold()
    return next((region for region in regions() if region.casefold() == wanted), None)


def region_for_slug(slug: str) -> str | None:
    return next((region for region in regions() if slugify(region) == slug), None)


def region_slug(region: str) -> str:
    return slugify(region)
