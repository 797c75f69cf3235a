"""The Guides board: short, original, non-judgemental guides, seeded by `manage.py seed_demo`
(community.demo.guides_seed: posting them is the forum's work, and safety stands beside the forum, not above it).

Written in our own words for this community. Each is a starting point, not medical or legal advice;
moderators keep them current (they are pinned threads in the "guides" board).
"""

GUIDES_BOARD = ("guides", "Guides", "Short guides kept up to date by moderators. Questions welcome in Safer use.")

GUIDES: list[tuple[str, str]] = [
    (
        "Supervised consumption sites: what to expect",
        """A supervised consumption site (also called an overdose prevention site or safe injection site) is a place where you can use drugs you brought with you, with trained staff nearby.

**What happens there**
- You get clean equipment and a space to use that isn't a stairwell or a public toilet.
- If you overdose, staff respond straight away with oxygen and naloxone. People don't die at these sites.
- Many offer drug checking, wound care, and a quiet chat about housing, treatment or anything else, only if you want it.

**What they don't do**
- They don't sell or supply drugs, and they won't push you into treatment.
- Most don't ask for ID. Ask about privacy if that matters to you.

Find one near you in the [services directory](/services/?kind=supervised).""",
    ),
    (
        "Syringe services: new gear every time",
        """Syringe services programmes give out sterile needles, syringes, cookers, filters, water, swabs and tourniquets, and take used ones back safely.

**Why it matters**
- New gear for every shot cuts the risk of HIV, hepatitis C, abscesses and vein damage.
- Sharing anything (not just needles: cookers, filters and water too) can pass on hep C.

**Tips**
- Take more than you think you need, so you never have to reuse.
- Rotate sites and let veins heal. A wound that is hot, swollen or spreading needs a nurse or doctor soon.
- Many programmes also offer naloxone, test strips, hep C testing and wound care.

See the [services directory](/services/?kind=syringe).""",
    ),
    (
        "Medications for opioid use disorder: methadone, buprenorphine, naltrexone",
        """Medications are one of the most effective ways to lower the risk of dying from opioids. Using them is not "swapping one drug for another": it is treatment that lets people get their lives steady on their own terms.

- **Methadone**: a daily liquid, usually from a clinic at first. Strong and long-acting; good if you need a lot of support.
- **Buprenorphine** (for example Suboxone, or monthly injections): can often be prescribed by a regular doctor and taken at home. Starting it when you're not yet in withdrawal can cause precipitated withdrawal, so ask about "micro-dosing" starts, especially with fentanyl.
- **Naltrexone** (monthly injection): blocks opioids. You need to be off opioids for 7–10 days first. Your tolerance drops, so a return to use carries a high overdose risk.

You can stay on medication as long as it helps you, including for years. Find prescribers in the [services directory](/services/).""",
    ),
    (
        "Naloxone: carry it, know it, share it",
        """Naloxone (Narcan and others) reverses an opioid overdose for 30–90 minutes. It can't hurt someone who isn't on opioids, so when in doubt, give it.

**How to use the nasal spray**
1. Call for help.
2. Lay them on their back, put the nozzle in one nostril and press the plunger.
3. Breathe for them. No response after 2–3 minutes? Give a second dose.
4. Put them in the recovery position and stay with them: the overdose can return when the naloxone wears off.

**Getting it**: many pharmacies, syringe services and harm-reduction programmes give it out free, often without a prescription. See the [overdose steps](/help/overdose/) and the [directory](/services/?kind=naloxone).""",
    ),
    (
        "Good Samaritan laws: calling for help",
        """Fear of the police is one of the main reasons people don't call for help at an overdose. Many places have passed Good Samaritan laws so that calling is safer.

**What they often cover**: possession of small amounts and of equipment, for the person who calls and the person having the overdose.

**What they often don't cover**: existing warrants, parole or probation conditions, selling, and anything else found at the scene. The details differ a lot from place to place.

**What you can do**
- Find out what your local law says before you need it; a harm-reduction service or legal aid clinic can tell you.
- If you're worried, you can still call, give the address and stay until help arrives, or at least give naloxone and rescue breaths first.

Read our [note on legal protection](/help/good-samaritan/).""",
    ),
    (
        "Treatment instead of jail: drug courts and diversion",
        """Some places offer a route out of the criminal system for people charged with drug-related offences: drug courts, pre-arrest diversion, or deferred prosecution.

**How it usually works**: you agree to a programme (treatment, check-ins, sometimes testing) and the charge is dropped or reduced when you complete it.

**Questions to ask a lawyer first**
- Do you have to plead guilty to enter? What happens if you don't finish?
- Does the programme allow medications like methadone or buprenorphine? (It should.)
- What counts as a "failure", and is a positive test treated as a health matter or a violation?

These programmes work best when they respect your choices. Look for drug courts and legal help in the [directory](/services/?kind=drug_court).""",
    ),
    (
        "After release from jail or prison: the first weeks are the riskiest",
        """The weeks after leaving jail or prison carry a much higher risk of overdose death, because tolerance drops while you're inside and the supply may have changed while you were away.

**If you might use after release**
- Start with a much smaller amount than before, and go slow.
- Don't use alone. If you have to, ask someone to check on you.
- Carry naloxone, and make sure people around you know where it is. Some prisons hand it out on release: ask.
- Test what you have if you can; check the [drug alerts](/alerts/) for your area.

**If you were on methadone or buprenorphine inside**, ask for a prescription or an appointment booked for the day you leave, so there is no gap.

You're welcome here however things are going. The [Support board](/b/support/) and the live room are open to you.""",
    ),
    (
        "Abstinence-based pathways: if stopping is your goal",
        """Harm reduction includes stopping, if that is what you want. Many people here have stopped for a while or for good; many have used medications along the way. All of it counts.

**Some routes people take**
- Mutual-aid groups: 12-step fellowships, SMART Recovery, and peer recovery groups. Try a few; they feel very different.
- Residential or outpatient programmes, including ones that support medications.
- Stopping on your own with support from friends and a doctor.

**Keeping safe while you try**
- Stopping opioids lowers tolerance quickly. If you use again, use much less, don't use alone, and have naloxone around.
- Withdrawal from alcohol or benzodiazepines can be dangerous: get medical help to taper.
- A slip is not a failure. Come back and talk about it, without shame.

Find groups in the [directory](/services/?kind=mutual_aid).""",
    ),
]
