"""Two demo plans, written for this project from the public VNG and regional sources.

The regional plan introduces Veilig Thuis with its three tracks (citizens, professionals,
the field) and the embargo that citizens hear nothing before the national campaign; it
carries one deliberate embargo conflict so that a new user sees what a warning looks like.
The municipal plan prepares Week tegen Kindermishandeling 2026.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from planner.domain.anchoring import apply_anchor
from planner.domain.workdays import working_days_between
from planner.domain.plans import add_partner, create_plan, find_or_create_organisation, get_plan
from planner.enums import (
    ActivityStatus as S, AudienceCategory, ChannelKind as K, ChecklistStatus, DecisionKind, DecisionStatus,
    Intensity, Level, MomentEdge, MomentKind, ObservationKind, OffsetUnit, OrganisationKind, PhaseKey, PlanStatus,
    Reach, SchoolRegion,
)
from planner.models import (
    Activity, Audience, Channel, Decision, Embargo, KeyMessage, MessageTranslation, Moment, Observation, Plan,
)

REGIONAL_SLUG = "introductie-veilig-thuis-regio-arnhem-achterhoek"
DEMO_PASSWORD = "demo-wachtwoord-2026"
DEMO_USERS = [  # (e-mail, role, organisation, name)
    ("beheer@planner.example", "administrator", "Regio Arnhem-Achterhoek", "Beheer planner"),
    ("adviseur@arnhem.example", "advisor", "Gemeente Arnhem", "Sanne de Vries"),
    ("coordinator@regio.example", "coordinator", "Regio Arnhem-Achterhoek", "Mehmet Yilmaz"),
    ("lezer@arnhem.example", "reader", "Gemeente Arnhem", "Joris Bakker"),
]
ADVISOR_NAME = "Sanne de Vries"  # owns items in the Arnhem plan, so her reminder e-mail has content
MUNICIPAL_SLUG = "week-tegen-kindermishandeling-2026-arnhem"
D = dt.date


def load_demo(session: Session) -> list[Plan]:
    """Create the demo plans that do not exist yet; return the plans created."""
    region = find_or_create_organisation(session, "Regio Arnhem-Achterhoek", OrganisationKind.REGION)
    arnhem = find_or_create_organisation(session, "Gemeente Arnhem", OrganisationKind.MUNICIPALITY)
    arnhem.region = arnhem.region or region
    arnhem.school_region = arnhem.school_region or SchoolRegion.MIDDLE
    created = []
    if get_plan(session, REGIONAL_SLUG) is None:
        created.append(_regional_plan(session, region))
    if get_plan(session, MUNICIPAL_SLUG) is None:
        created.append(_municipal_plan(session, arnhem))
    session.flush()
    return created


def load_demo_users(session: Session) -> list:
    """One demo user per role (created once; existing ones are left alone). Returns all demo users."""
    import sqlalchemy as sa

    from planner.domain.accounts import create_user
    from planner.enums import Role
    from planner.models import User

    result = []
    for email, role, organisation_name, name in DEMO_USERS:
        user = session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            organisation = find_or_create_organisation(session, organisation_name)
            user = create_user(session, email, organisation, Role(role), DEMO_PASSWORD, name=name)
        result.append(user)
    return result


def _build(session, plan, *, partners, audiences, messages, channels, moments, activities):
    """Add partners, audiences, messages, channels, moments and activities from compact tables."""
    partner = {key: add_partner(session, plan, name, role) for key, (name, role) in partners.items()}
    audience = {}
    for key, (name, category, intensity, interest, influence, languages, intermediaries, description, *school) \
            in audiences.items():
        audience[key] = Audience(
            name=name, in_education=bool(school and school[0]), category=category, intensity=intensity, interest=interest, influence=influence,
            languages=languages, description=description, intermediaries=[partner[p] for p in intermediaries],
        )
    message = {}
    for key, (audience_key, title, body, translations) in messages.items():
        message[key] = KeyMessage(
            audience=audience[audience_key], title=title, body=body,
            translations=[MessageTranslation(language=lang, body=text) for lang, text in translations],
        )
    channel = {
        key: Channel(name=name, kind=kind, lead_time_days=lead, cost=Decimal(cost) if cost else None)
        for key, (name, kind, lead, cost) in channels.items()
    }
    plan.audiences.extend(audience.values())
    plan.messages.extend(message.values())
    plan.channels.extend(channel.values())
    for name, kind, starts_on, ends_on, *key in moments:
        plan.moments.append(Moment(name=name, kind=kind, starts_on=starts_on, ends_on=ends_on,
                                   observance_key=key[0] if key else ""))
    for row in activities:
        when, title, channel_key, audience_keys, sender_key, message_key, status, extra = (*row, {})[:8]
        starts_on, ends_on = when if isinstance(when, tuple) else (when, None)
        plan.activities.append(Activity(
            title=title, starts_on=starts_on, ends_on=ends_on, channel=channel[channel_key],
            audiences=[audience[a] for a in audience_keys], sender=partner.get(sender_key),
            message=message.get(message_key), status=status, **extra,
        ))
    session.flush()
    return partner, audience, message


def _anchor(plan: Plan, anchors: dict[str, tuple[str, OffsetUnit, MomentEdge]]) -> None:
    """Hang activities (by title) on moments (by name), keeping the dates the demo gives them."""
    moments = {m.name: m for m in plan.moments}
    for activity in plan.activities:
        if activity.title in anchors:
            moment_name, unit, edge = anchors[activity.title]
            moment, planned = moments[moment_name], activity.starts_on
            base = moment.starts_on if edge == MomentEdge.START else moment.last_day
            offset = working_days_between(base, planned) if unit == OffsetUnit.WORKING_DAYS else (planned - base).days
            activity.anchor_moment = moment
            activity.anchor_offset, activity.anchor_unit, activity.anchor_edge = offset, unit, edge
            apply_anchor(activity)
            assert activity.starts_on == planned, f"demo anchor of {activity.title!r} is off"


def _mark_checklist(plan: Plan, done: dict[PhaseKey, int], owner: str) -> None:
    """Mark the first items of each phase done and give the rest an owner."""
    for phase in plan.phases:
        for index, item in enumerate(phase.items):
            item.owner_name = owner
            if index < done.get(phase.key, 0):
                item.status = ChecklistStatus.DONE
            elif index == done.get(phase.key, 0):
                item.status = ChecklistStatus.IN_PROGRESS


def _regional_plan(session: Session, region) -> Plan:
    plan = create_plan(
        session, title="Introductie Veilig Thuis regio Arnhem-Achterhoek", owner=region,
        starts_on=D(2026, 10, 1), ends_on=D(2027, 3, 31), theme="Huiselijk geweld en kindermishandeling",
        status=PlanStatus.IN_PROGRESS, phase=PhaseKey.EXECUTION, budget=Decimal("48500.00"),
        introduction=(
            "Op 1 januari 2027 gaan de regionale meldpunten op in één Veilig Thuis-organisatie voor de hele "
            "regio, bereikbaar via het gratis nummer 0800-2000. De gemeenten nemen het initiatief voor de "
            "communicatie en coördineren die met de partners. (Fictief demoplan.)"
        ),
        goal=(
            "Professionals kennen Veilig Thuis, het nummer en wat ze er kunnen verwachten voordat het loket "
            "opengaat; inwoners weten vanaf de landelijke campagne waar ze terechtkunnen; bestuurders en "
            "ketenpartners zien Veilig Thuis als samenwerkingspartner."
        ),
        strategy=(
            "Eerst de professionals (vanaf november), dan het werkveld, en pas met de landelijke campagne in de "
            "tweede week van januari de inwoners. Partners fungeren als doorgeefluik naar hun eigen achterban. "
            "Eén kernboodschap per doelgroep, het logo van Veilig Thuis op elk middel."
        ),
    )
    partner, audience, message = _build(
        session, plan,
        partners={
            "vt": ("Veilig Thuis Gelderland-Midden", "Afzender van alle inhoudelijke informatie; bemenst het meldpunt."),
            "ggd": ("GGD Gelderland-Midden", "Verspreidt informatie via jeugdgezondheidszorg en consultatiebureaus."),
            "politie": ("Politie Oost-Nederland", "Informeert wijkagenten en basisteams."),
            "wijkteams": ("Sociale wijkteams Arnhem", "Intermediair naar inwoners en cliënten."),
            "onderwijs": ("Samenwerkingsverband Passend Onderwijs", "Bereikt scholen en intern begeleiders."),
        },
        audiences={
            "publiek": ("Inwoners (algemeen publiek)", AudienceCategory.GENERAL_PUBLIC, Intensity.INFORM, 2, 1,
                        ["nl", "en", "tr", "ar"], ["wijkteams"],
                        "Alle inwoners: mogelijke melders, slachtoffers, plegers en omstanders."),
            "clienten": ("Bestaande cliënten", AudienceCategory.SPECIFIC_GROUP, Intensity.CONSULT, 5, 1,
                         ["nl"], ["vt"], "Lopende contacten die merken dat naam, nummer en adres veranderen."),
            "kwetsbaar": ("Kinderen, ouderen en risicogroepen", AudienceCategory.SPECIFIC_GROUP, Intensity.INFORM,
                          4, 1, ["nl", "ar", "tr", "pl"], ["ggd", "wijkteams"],
                          "Onder meer jongeren, ouderen en mensen met risico op eergerelateerd geweld."),
            "professionals": ("Professionals onder de meldcode", AudienceCategory.PROFESSIONALS, Intensity.INVOLVE,
                              5, 4, ["nl"], ["ggd", "onderwijs", "politie"],
                              "Zorg, onderwijs, kinderopvang, jeugdhulp, politie en maatschappelijke ondersteuning."),
            "vrijwilligers": ("Vrijwilligersorganisaties en sportclubs", AudienceCategory.PROFESSIONALS,
                              Intensity.INFORM, 3, 2, ["nl"], [],
                              "Doelgroep en doorgeefluik naar leden en vrijwilligers."),
            "werkveld": ("Bestuurders en beleidsadviseurs", AudienceCategory.FIELD, Intensity.COLLABORATE, 4, 5,
                         ["nl"], [], "Wethouders, burgemeesters, beleid sociaal domein en veiligheid, ketenpartners."),
        },
        messages={
            "publiek": ("publiek", "Veilig Thuis is er voor iedereen",
                        "Maak je je zorgen over geweld of mishandeling thuis, bij jezelf of bij een ander? Bel Veilig "
                        "Thuis: 0800-2000, gratis en dag en nacht bereikbaar. Je hoeft het niet alleen op te lossen; "
                        "je mag anoniem blijven.",
                        [("en", "Worried about violence or abuse at home, your own or someone else's? Call Veilig "
                                "Thuis on 0800-2000, free and day and night. You may stay anonymous."),
                         ("ar", "هل أنت قلق بشأن العنف أو الإساءة في المنزل؟ اتصل بـ Veilig Thuis على الرقم 0800-2000، مجانًا وعلى مدار الساعة.")]),
            "clienten": ("clienten", "Uw contactpersoon blijft, het nummer verandert",
                         "Vanaf 1 januari heet uw meldpunt Veilig Thuis en is het bereikbaar via 0800-2000. Uw "
                         "afspraken lopen gewoon door; uw contactpersoon vertelt u wat er verandert.", []),
            "kwetsbaar": ("kwetsbaar", "Je staat er niet alleen voor",
                          "Niemand hoeft te leven met geweld thuis. Veilig Thuis luistert, denkt mee en zoekt samen "
                          "met jou naar hulp. Bel 0800-2000, gratis.", []),
            "professionals": ("professionals", "Bij twijfel: vraag advies",
                              "Veilig Thuis adviseert en ondersteunt u bij elke stap van de meldcode, al bij een eerste "
                              "vermoeden. Voor advies hoeft u de naam van het gezin niet te noemen. Vanaf 1 januari: "
                              "0800-2000.", []),
            "vrijwilligers": ("vrijwilligers", "Zie je iets? Weet waar je terechtkunt",
                              "Trainers en vrijwilligers zien soms als eersten dat het thuis niet goed gaat. Veilig "
                              "Thuis helpt je bepalen wat je kunt doen.", []),
            "werkveld": ("werkveld", "Veilig Thuis werkt samen",
                         "Veilig Thuis doorbreekt onveilige situaties, maar kan dat alleen samen met gemeenten en "
                         "ketenpartners: één gezin, één plan, één contactpersoon.", []),
        },
        channels={
            "brief": ("Brief aan partners", K.LETTER, 5, "250"),
            "brochure": ("Brochure voor professionals", K.LEAFLET, 15, "4200"),
            "presentatie": ("Presentatie in teamoverleg", K.PRESENTATION, 5, None),
            "pers": ("Persbericht", K.PRESS_RELEASE, 3, None),
            "advertentie": ("Advertentie huis-aan-huisbladen", K.ADVERTISEMENT, 10, "9800"),
            "poster": ("Posters in bushokjes", K.POSTER, 15, "7600"),
            "flyer": ("Flyer voor inwoners", K.LEAFLET, 12, "3100"),
            "website": ("Website en intranet", K.EMAIL_WEBSITE, 2, None),
            "nieuwsbrief": ("Digitale nieuwsbrief", K.NEWSLETTER, 4, None),
            "opendag": ("Open dag Veilig Thuis", K.OPEN_DAY, 20, "6500"),
            "social": ("Sociale media", K.SOCIAL_MEDIA, 2, "1500"),
            "bijeenkomst": ("Informatiebijeenkomst", K.INFORMATION_MEETING, 10, "2200"),
            "lokaal": ("Lokale media (krant en radio)", K.LOCAL_MEDIA, 5, None),
        },
        moments=[
            ("Regionaal bestuurlijk overleg", MomentKind.MEETING, D(2026, 10, 15), None),
            ("Start Veilig Thuis en 0800-2000", MomentKind.MILESTONE, D(2027, 1, 1), None),
            ("Landelijke campagne op radio en tv", MomentKind.CAMPAIGN, D(2027, 1, 11), D(2027, 2, 7)),
            ("Open dag Veilig Thuis", MomentKind.MILESTONE, D(2027, 1, 21), None),
            ("Oude 0900-nummers verwijzen nog door", MomentKind.MILESTONE, D(2027, 1, 1), D(2027, 3, 31)),
        ],
        activities=[
            (D(2026, 10, 6), "Startbijeenkomst communicatieadviseurs", "bijeenkomst", ["werkveld"], "vt", "werkveld", S.DONE, {"reach": Reach.INTERNAL, "level": Level.REGIONAL}),
            (D(2026, 10, 15), "Presentatie in regionaal bestuurlijk overleg", "presentatie", ["werkveld"], "vt", "werkveld", S.DONE, {"reach": Reach.INTERNAL, "level": Level.REGIONAL}),
            (D(2026, 11, 2), "Brief aan alle ketenpartners", "brief", ["professionals", "werkveld"], "vt", "professionals", S.DONE, {"level": Level.REGIONAL}),
            (D(2026, 11, 5), "Nieuwsbrief november: Veilig Thuis komt eraan", "nieuwsbrief", ["professionals"], "vt", "professionals", S.DONE, {"level": Level.REGIONAL}),
            ((D(2026, 11, 9), D(2026, 11, 27)), "Presentaties in teamoverleggen wijkteams", "presentatie", ["professionals"], "wijkteams", "professionals", S.IN_PRODUCTION, {}),
            (D(2026, 11, 16), "Intranetbericht voor medewerkers gemeenten", "website", ["werkveld"], None, "werkveld", S.DONE, {"reach": Reach.INTERNAL}),
            (D(2026, 11, 19), "Informatiebijeenkomst intern begeleiders", "bijeenkomst", ["professionals"], "onderwijs", "professionals", S.DONE, {}),
            (D(2026, 12, 1), "Brochure voor professionals verspreiden", "brochure", ["professionals"], "vt", "professionals", S.IN_PRODUCTION, {"level": Level.REGIONAL}),
            (D(2026, 12, 3), "Nieuwsbrief december voor partners", "nieuwsbrief", ["professionals", "vrijwilligers"], "vt", "vrijwilligers", S.PLANNED, {"level": Level.REGIONAL}),
            (D(2026, 12, 8), "Brief aan bestaande cliënten", "brief", ["clienten"], "vt", "clienten", S.PLANNED, {}),
            (D(2026, 12, 10), "Sportclubs: mailing aan besturen", "website", ["vrijwilligers"], None, "vrijwilligers", S.PLANNED, {}),
            # Deliberate conflict: citizens must hear nothing before the national campaign.
            (D(2026, 12, 15), "Vooraankondiging in de lokale krant", "lokaal", ["publiek"], None, "publiek", S.PLANNED, {"notes": "Conflicteert met het embargo voor inwoners."}),
            (D(2026, 12, 17), "Wethouders informeren over de livegang", "brief", ["werkveld"], None, "werkveld", S.PLANNED, {"reach": Reach.INTERNAL}),
            (D(2027, 1, 4), "Website Veilig Thuis live met regionale informatie", "website", ["professionals", "werkveld"], "vt", "professionals", S.PLANNED, {"level": Level.REGIONAL}),
            (D(2027, 1, 11), "Persbericht bij start landelijke campagne", "pers", ["publiek"], None, "publiek", S.PLANNED, {"level": Level.REGIONAL}),
            ((D(2027, 1, 11), D(2027, 1, 24)), "Posters in bushokjes", "poster", ["publiek", "kwetsbaar"], None, "publiek", S.PLANNED, {}),
            (D(2027, 1, 13), "Advertentie in huis-aan-huisbladen", "advertentie", ["publiek"], None, "publiek", S.PLANNED, {}),
            (D(2027, 1, 14), "Berichten op sociale media (wekelijks)", "social", ["publiek", "kwetsbaar"], "vt", "kwetsbaar", S.PLANNED, {"recurrence": "FREQ=WEEKLY;COUNT=4"}),
            (D(2027, 1, 18), "Flyers via consultatiebureaus en huisartsen", "flyer", ["kwetsbaar"], "ggd", "kwetsbaar", S.PLANNED, {}),
            (D(2027, 1, 21), "Open dag Veilig Thuis", "opendag", ["publiek", "werkveld", "professionals"], "vt", "werkveld", S.PLANNED, {"start_time": dt.time(14, 0), "end_time": dt.time(18, 0), "level": Level.REGIONAL}),
            (D(2027, 1, 25), "Interview met de wethouder op lokale radio", "lokaal", ["publiek"], None, "publiek", S.PLANNED, {}),
            (D(2027, 2, 4), "Nieuwsbrief februari: eerste ervaringen", "nieuwsbrief", ["professionals", "werkveld"], "vt", "werkveld", S.PLANNED, {"level": Level.REGIONAL}),
            (D(2027, 2, 15), "Wijkagenten informeren in briefing", "presentatie", ["professionals"], "politie", "professionals", S.PLANNED, {}),
            (D(2027, 3, 15), "Evaluatiebijeenkomst met partners", "bijeenkomst", ["werkveld"], "vt", "werkveld", S.PLANNED, {"reach": Reach.INTERNAL, "level": Level.REGIONAL}),
        ],
    )
    campaign, golive = "Landelijke campagne op radio en tv", "Start Veilig Thuis en 0800-2000"
    W, C, START, END = OffsetUnit.WORKING_DAYS, OffsetUnit.DAYS, MomentEdge.START, MomentEdge.END
    _anchor(plan, {
        "Wethouders informeren over de livegang": (golive, W, START),
        "Website Veilig Thuis live met regionale informatie": (golive, W, START),
        "Persbericht bij start landelijke campagne": (campaign, C, START),
        "Posters in bushokjes": (campaign, C, START),
        "Advertentie in huis-aan-huisbladen": (campaign, C, START),
        "Berichten op sociale media (wekelijks)": (campaign, C, START),
        "Flyers via consultatiebureaus en huisartsen": (campaign, W, START),
        "Nieuwsbrief februari: eerste ervaringen": (campaign, C, END),
    })
    plan.embargoes.append(Embargo(
        audience=audience["publiek"], not_before=D(2027, 1, 11),
        reason="Inwoners horen pas van Veilig Thuis als de landelijke campagne start; eerder aankondigen werkt niet.",
    ))
    plan.embargoes.append(Embargo(
        audience=audience["kwetsbaar"], not_before=D(2027, 1, 11),
        reason="Zelfde moment als de landelijke campagne.",
    ))
    plan.decisions.extend([
        Decision(title="Afstemming communicatieadviseurs partners", kind=DecisionKind.ALIGNMENT,
                 decided_on=D(2026, 10, 6), participants="Communicatieadviseurs gemeenten, Veilig Thuis, GGD",
                 status=DecisionStatus.DONE, outcome="Strategie en kernboodschappen afgesproken."),
        Decision(title="Vaststelling door portefeuillehouders", kind=DecisionKind.APPROVAL,
                 decided_on=D(2026, 10, 29), participants="Regionaal portefeuillehoudersoverleg",
                 status=DecisionStatus.DONE, outcome="Plan vastgesteld."),
        Decision(title="Evaluatie met partners", kind=DecisionKind.ALIGNMENT, decided_on=D(2027, 3, 15),
                 participants="Alle partners", status=DecisionStatus.PLANNED),
    ])
    plan.observations.append(Observation(
        observed_on=D(2026, 11, 6), kind=ObservationKind.QUESTION,
        text="Scholen vragen of de brochure ook digitaal beschikbaar komt.", count=7,
        activity=plan.activities[2],
    ))
    _mark_checklist(plan, {PhaseKey.INITIATIVE: 6, PhaseKey.PREPARATION: 10, PhaseKey.EXECUTION: 1}, "Regieteam communicatie")
    return plan


def _municipal_plan(session: Session, arnhem) -> Plan:
    week = (D(2026, 11, 16), D(2026, 11, 22))
    plan = create_plan(
        session, title="Week tegen Kindermishandeling 2026 Arnhem", owner=arnhem,
        starts_on=D(2026, 9, 1), ends_on=D(2026, 12, 18), theme="Kindermishandeling",
        status=PlanStatus.APPROVED, phase=PhaseKey.EXECUTION, budget=Decimal("12000.00"),
        introduction=(
            "De Week tegen Kindermishandeling (16 tot en met 22 november 2026) is een vanzelfsprekend moment om "
            "kindermishandeling bespreekbaar te maken, bij inwoners en bij professionals. (Fictief demoplan.)"
        ),
        goal="Ouders, kinderen en professionals weten wat ze kunnen doen bij zorgen over een kind en kennen 0800-2000.",
        strategy=(
            "Aanhaken bij de landelijke themaweek; scholen en sportclubs als doorgeefluik; professionals vooraf "
            "informeren over de meldcode; aandacht voor anderstalige ouders."
        ),
    )
    partner, audience, message = _build(
        session, plan,
        partners={
            "vt": ("Veilig Thuis Gelderland-Midden", "Levert inhoud en sprekers."),
            "ggd": ("GGD Gelderland-Midden", "Jeugdgezondheidszorg, oudercontacten."),
            "scholen": ("Basisscholen Arnhem", "Lessen in de klas en ouderbrieven."),
            "sport": ("Sportbedrijf Arnhem", "Bereikt sportverenigingen en trainers."),
            "bieb": ("Bibliotheek Arnhem", "Locatie voor de ouderavond en leestafel."),
        },
        audiences={
            "ouders": ("Ouders en opvoeders", AudienceCategory.GENERAL_PUBLIC, Intensity.INFORM, 4, 2,
                       ["nl", "tr", "ar", "pl"], ["scholen", "ggd"], "Ouders van kinderen van 0 tot 18 jaar."),
            "kinderen": ("Kinderen in het basisonderwijs", AudienceCategory.SPECIFIC_GROUP, Intensity.INFORM, 3, 1,
                         ["nl"], ["scholen"], "Groep 5 tot en met 8.", True),
            "leerkrachten": ("Leerkrachten en pedagogisch medewerkers", AudienceCategory.PROFESSIONALS,
                             Intensity.INVOLVE, 5, 3, ["nl"], ["scholen"], "Werken met de meldcode.", True),
            "trainers": ("Trainers en vrijwilligers sport", AudienceCategory.SPECIFIC_GROUP, Intensity.INFORM, 3, 2,
                         ["nl"], ["sport"], "Zien kinderen wekelijks buiten school."),
            "raad": ("Gemeenteraad en college", AudienceCategory.FIELD, Intensity.CONSULT, 3, 5, ["nl"], [],
                     "Bestuurlijke aandacht en ambassadeurs."),
        },
        messages={
            "ouders": ("ouders", "Praat erover, vraag hulp",
                       "Opvoeden is niet altijd makkelijk. Loopt het thuis uit de hand of maak je je zorgen over een "
                       "kind? Bel Veilig Thuis, 0800-2000, gratis en anoniem als je dat wilt.",
                       [("tr", "Çocuk yetiştirmek her zaman kolay değildir. Endişeleriniz varsa Veilig Thuis'i "
                               "arayın: 0800-2000, ücretsiz."),
                        ("ar", "التربية ليست سهلة دائمًا. إذا كنت قلقًا على طفل، اتصل بـ Veilig Thuis على 0800-2000 مجانًا.")]),
            "kinderen": ("kinderen", "Thuis hoort veilig te zijn",
                         "Gebeurt er thuis iets wat niet goed voelt? Vertel het aan iemand die je vertrouwt, of bel "
                         "de Kindertelefoon.", []),
            "leerkrachten": ("leerkrachten", "De meldcode geeft houvast",
                             "Een vermoeden is genoeg om advies te vragen. Veilig Thuis denkt mee bij elke stap van "
                             "de meldcode.", []),
            "trainers": ("trainers", "Ook op het sportveld let je op",
                         "Als trainer zie je kinderen elke week. Merk je iets, bespreek het met de vertrouwenspersoon "
                         "van de club of vraag advies bij Veilig Thuis.", []),
            "raad": ("raad", "Arnhem doet mee",
                     "De gemeente steunt de week met activiteiten op scholen, sportclubs en in de bibliotheek.", []),
        },
        channels={
            "ouderbrief": ("Brief aan ouders via scholen", K.LETTER, 8, "400"),
            "les": ("Gastles in de klas", K.PRESENTATION, 10, "1800"),
            "poster": ("Posters scholen en sportclubs", K.POSTER, 12, "1250"),
            "social": ("Sociale media gemeente", K.SOCIAL_MEDIA, 2, None),
            "pers": ("Persbericht", K.PRESS_RELEASE, 3, None),
            "gemeenteblad": ("Gemeentepagina huis-aan-huisblad", K.LOCAL_MEDIA, 7, "900"),
            "ouderavond": ("Ouderavond in de bibliotheek", K.INFORMATION_MEETING, 10, "1500"),
            "training": ("Workshop meldcode voor professionals", K.INFORMATION_MEETING, 15, "3500"),
            "nieuwsbrief": ("Nieuwsbrief jeugdprofessionals", K.NEWSLETTER, 4, None),
            "raadsbrief": ("Raadsinformatiebrief", K.LETTER, 5, None),
        },
        moments=[
            ("Week tegen Kindermishandeling", MomentKind.OBSERVANCE, *week, "week-tegen-kindermishandeling"),
            ("Internationale Dag van de Rechten van het Kind", MomentKind.OBSERVANCE, D(2026, 11, 20), None,
             "dag-rechten-van-het-kind"),
            ("Raadsinformatieavond", MomentKind.MEETING, D(2026, 11, 10), None),
            ("Orange the World", MomentKind.OBSERVANCE, D(2026, 11, 25), D(2026, 12, 10), "orange-the-world"),
        ],
        activities=[
            (D(2026, 9, 15), "Startoverleg met scholen, GGD en Veilig Thuis", "training", ["leerkrachten"], "vt", "leerkrachten", S.DONE, {"reach": Reach.INTERNAL}),
            (D(2026, 9, 29), "Sportclubs uitnodigen voor deelname", "nieuwsbrief", ["trainers"], "sport", "trainers", S.DONE, {}),
            (D(2026, 10, 6), "Nieuwsbrief: aankondiging workshop meldcode", "nieuwsbrief", ["leerkrachten"], "ggd", "leerkrachten", S.DONE, {}),
            (D(2026, 10, 20), "Workshop meldcode voor leerkrachten", "training", ["leerkrachten"], "vt", "leerkrachten", S.DONE, {"start_time": dt.time(15, 30), "end_time": dt.time(17, 30)}),
            (D(2026, 10, 27), "Posters bestellen en verspreiden", "poster", ["ouders", "trainers"], None, "ouders", S.DONE, {}),
            (D(2026, 11, 3), "Raadsinformatiebrief over de themaweek", "raadsbrief", ["raad"], None, "raad", S.DONE, {"reach": Reach.INTERNAL}),
            (D(2026, 11, 5), "Ouderbrief via de scholen", "ouderbrief", ["ouders"], "scholen", "ouders", S.DONE, {}),
            (D(2026, 11, 10), "Toelichting in de raadsinformatieavond", "raadsbrief", ["raad"], None, "raad", S.DONE, {"reach": Reach.INTERNAL, "start_time": dt.time(19, 30)}),
            (D(2026, 11, 11), "Gemeentepagina: aankondiging week", "gemeenteblad", ["ouders"], None, "ouders", S.DONE, {}),
            (D(2026, 11, 12), "Nieuwsbrief: materialen voor de klas", "nieuwsbrief", ["leerkrachten"], "ggd", "leerkrachten", S.DONE, {}),
            (D(2026, 11, 16), "Persbericht: Arnhem doet mee", "pers", ["ouders", "raad"], None, "ouders", S.DONE, {}),
            (D(2026, 11, 16), "Social media: start van de week", "social", ["ouders"], None, "ouders", S.DONE, {}),
            ((D(2026, 11, 16), D(2026, 11, 20)), "Gastlessen in groep 5 tot en met 8", "les", ["kinderen"], "vt", "kinderen", S.DONE, {}),
            (D(2026, 11, 17), "Wethouder bezoekt een gastles", "social", ["ouders", "raad"], None, "raad", S.DONE, {}),
            (D(2026, 11, 18), "Ouderavond in de bibliotheek", "ouderavond", ["ouders"], "bieb", "ouders", S.DONE, {"start_time": dt.time(19, 30), "end_time": dt.time(21, 0)}),
            (D(2026, 11, 19), "Trainersavond bij de sportclubs", "training", ["trainers"], "sport", "trainers", S.DONE, {"start_time": dt.time(20, 0)}),
            (D(2026, 11, 20), "Social media: Dag van de Rechten van het Kind", "social", ["ouders", "kinderen"], None, "kinderen", S.DONE, {}),
            (D(2026, 11, 21), "Leestafel over veilig opgroeien in de bibliotheek", "ouderavond", ["ouders"], "bieb", "ouders", S.DONE, {}),
            (D(2026, 11, 25), "Social media: aansluiten bij Orange the World", "social", ["ouders"], None, "ouders", S.READY, {"owner_name": ADVISOR_NAME}),
            (D(2026, 11, 26), "Gemeentepagina: terugblik op de week", "gemeenteblad", ["ouders"], None, "ouders", S.IN_PRODUCTION, {"owner_name": ADVISOR_NAME}),
            (D(2026, 12, 3), "Nieuwsbrief: reacties en vervolg", "nieuwsbrief", ["leerkrachten", "trainers"], "ggd", "leerkrachten", S.PLANNED, {"owner_name": ADVISOR_NAME}),
            (D(2026, 12, 10), "Evaluatie met partners", "training", ["leerkrachten"], "vt", "leerkrachten", S.IN_PRODUCTION, {"reach": Reach.INTERNAL}),
        ],
    )
    W, C, START, END = OffsetUnit.WORKING_DAYS, OffsetUnit.DAYS, MomentEdge.START, MomentEdge.END
    wtk, kinderrechten, orange = "Week tegen Kindermishandeling", "Internationale Dag van de Rechten van het Kind", \
        "Orange the World"
    _anchor(plan, {
        "Posters bestellen en verspreiden": (wtk, W, START),
        "Ouderbrief via de scholen": (wtk, W, START),
        "Gemeentepagina: aankondiging week": (wtk, W, START),
        "Nieuwsbrief: materialen voor de klas": (wtk, W, START),
        "Persbericht: Arnhem doet mee": (wtk, C, START),
        "Social media: start van de week": (wtk, C, START),
        "Gastlessen in groep 5 tot en met 8": (wtk, C, START),
        "Wethouder bezoekt een gastles": (wtk, C, START),
        "Ouderavond in de bibliotheek": (wtk, C, START),
        "Trainersavond bij de sportclubs": (wtk, C, START),
        "Social media: Dag van de Rechten van het Kind": (kinderrechten, C, START),
        "Leestafel over veilig opgroeien in de bibliotheek": (wtk, C, END),
        "Social media: aansluiten bij Orange the World": (orange, C, START),
        "Gemeentepagina: terugblik op de week": (wtk, W, END),
    })
    plan.decisions.extend([
        Decision(title="Afspraken met scholen en GGD", kind=DecisionKind.ALIGNMENT, decided_on=D(2026, 9, 15),
                 participants="Directeuren basisscholen, GGD, Veilig Thuis", status=DecisionStatus.DONE,
                 outcome="Gastlessen in alle groepen 5 tot en met 8."),
        Decision(title="Vaststelling door het college", kind=DecisionKind.APPROVAL, decided_on=D(2026, 10, 6),
                 participants="College van B en W", status=DecisionStatus.DONE, outcome="Vastgesteld."),
    ])
    plan.observations.extend([
        Observation(observed_on=D(2026, 11, 18), kind=ObservationKind.REACH, count=64,
                    text="64 ouders op de ouderavond, een derde via de ouderbrief.", activity=plan.activities[14]),
        Observation(observed_on=D(2026, 11, 20), kind=ObservationKind.ADJUSTMENT,
                    text="Extra gastles ingepland op verzoek van twee scholen."),
    ])
    _mark_checklist(plan, {PhaseKey.INITIATIVE: 6, PhaseKey.PREPARATION: 14, PhaseKey.EXECUTION: 3}, ADVISOR_NAME)
    execution = next(p for p in plan.phases if p.key == PhaseKey.EXECUTION)
    next(i for i in execution.items if i.status == ChecklistStatus.IN_PROGRESS).due_on = D(2026, 11, 27)
    return plan
