"""Forms found missing by the blind batch heldout4, tested on other strings than the eval's."""

from __future__ import annotations

import pytest

from assistant.deid import Deidentifier


def _masked(deid: Deidentifier, text: str) -> set[str]:
    return {e.text for e in deid.pseudonymise(text).entities}


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Bonne journée,\nCapucine Marchal\nÉducatrice spécialisée", "Capucine Marchal"),
        ("Cordialement\nDr Lemoine", "Lemoine"),
        ("Le petit Nathan, dit « Nono », refuse l'école.", "Nono"),
        ("rdv annulé, elle est repartie a toulouse chez sa sœur", "toulouse"),
        ("elle habite maintenant en périphérie (villeurbanne)", "villeurbanne"),
        ("caravane stationnée route de Kervégan depuis l'été", "route de Kervégan"),
        ("Carte de séjour n° AB 7654321 à renouveler.", "AB 7654321"),
        ("Il fait la plonge dans un restaurant, Chez Ti'Punch Créole, le soir.", "Ti'Punch"),
        ("Accueilli à l'IME les jardins de Kerbrat depuis mars.", "les jardins de Kerbrat"),
    ],
)
def test_masks_general_forms(deid: Deidentifier, text: str, secret: str) -> None:
    masked = " ".join(_masked(deid, text))
    assert secret in masked or all(part in masked for part in secret.split()), (text, masked)


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Sa fille Rose (8 ans) a offert une rose à sa maîtresse.", "une rose"),
        ("Pierre, 10 ans, a lancé une pierre à la récréation.", "une pierre"),
        ("Mme Kovač, sri-lankaise, 40 ans, et son voisin franco-algérien.", "sri-lankaise"),
        ("Mme Kovač, sri-lankaise, 40 ans, et son voisin franco-algérien.", "franco-algérien"),
        ("Il vit au 3e étage sans ascenseur.", "3e étage"),
        ("Sur le chemin de l'école, il a croisé la police.", "chemin de l'école"),
        ("Au foyer, Le médecin est passé le matin.", "Le médecin"),
        ("Le juge a dit non à la demande.", "dit non"),
    ],
)
def test_keeps_facts(deid: Deidentifier, text: str, fact: str) -> None:
    assert fact in deid.pseudonymise(text).text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("vu m. nowak (krzysztof) ce matin, logement insalubre", "krzysztof"),
        ("Mme TRAORÉ (Awa) absente au rendez-vous.", "Awa"),
        ("célibataire – 47 a – sans emploi", "47 a"),
        ("Elle promène sa chienne Praline tous les soirs au parc.", "Praline"),
        ("rdv annulé : oksana malade, rappeler lundi", "oksana"),
    ],
)
def test_masks_heldout5_forms(deid: Deidentifier, text: str, secret: str) -> None:
    assert secret in _masked(deid, text), text


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Rendez-vous au collège Paul Bert (CPE) mardi.", "(CPE)"),
        ("Le bailleur a 30 jours pour répondre.", "a 30 jours"),
        ("Son fils a 17 a, apprenti.", "17 a"),
    ],
)
def test_keeps_heldout5_facts(deid: Deidentifier, text: str, fact: str) -> None:
    assert fact in deid.pseudonymise(text).text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("présents : m. lefort (cheffe de service), j. okafor-diop (ES)", "m. lefort"),
        ("présents : m. lefort (cheffe de service), j. okafor-diop (ES)", "j. okafor-diop"),
        ("Suivie par le Dr Marchand, hôpital Esquirol de Limoges.", "Esquirol"),
        ("Il loge chez un cousin, 3 rue Myrha (18e), depuis l'hiver.", "18e"),
        ("Famille installée à Marseille 15e depuis 2019.", "15e"),
    ],
)
def test_masks_heldout6_forms(deid: Deidentifier, text: str, secret: str) -> None:
    assert secret in " ".join(_masked(deid, text)), text


def test_dictionary_surname_spreads_after_a_first_name(deid: Deidentifier) -> None:
    text = "Vu mme blanc ce matin. Puis rdv avec lucas blanc, 12 ans, au collège."
    assert "blanc" not in deid.pseudonymise(text).text.replace("Blanc", "")


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Bipolaire, stabilisée sous Trinzaxil depuis un an.", "sous Trinzaxil"),
        ("Diabète : Vildrobex 500 mg matin et soir.", "Vildrobex 500 mg"),
        ("Son fils est en 3e au collège, en 6e l'an dernier.", "en 3e au collège"),
        ("cf. annexe, p. ex. la facture EDF.", "cf. annexe"),
    ],
)
def test_keeps_heldout6_facts(deid: Deidentifier, text: str, fact: str) -> None:
    assert fact in deid.pseudonymise(text).text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("rdv avec mme d'souza (mère de Yanis) annulé", "d'souza"),
        ("Rencontre avec M. Noël Lagarde, 52 ans, à sa demande.", "Noël Lagarde"),
        ("Logement : Bât. C – Esc. 2 – 3ème droite, cité des Fleurs.", "3ème droite"),
        ("M. Le Blanc est venu seul.", "Le Blanc"),
    ],
)
def test_masks_heldout7_forms(deid: Deidentifier, text: str, secret: str) -> None:
    assert secret in " ".join(_masked(deid, text)), text


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Courrier à Monsieur Le Directeur de la CAF.", "Monsieur Le Directeur"),
        ("Colis de Noël distribué aux familles.", "Colis de Noël"),
        ("Il habite au 2ème gauche, sans ascenseur.", "2ème gauche"),
    ],
)
def test_keeps_heldout7_facts(deid: Deidentifier, text: str, fact: str) -> None:
    assert fact in deid.pseudonymise(text).text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Nom : TALL   Prénom : Mariam\nNé le : 03/02/1990", "TALL"),
        ("Nom de naissance : FOFANA, nom d'usage : KEITA", "KEITA"),
        ("Elle vit à Saint-Joseph (974) avec sa mère.", "Saint-Joseph"),
        ("Domicile : hameau de Kerlouan, lot 7, chez un ami.", "lot 7"),
    ],
)
def test_masks_heldout8_forms(deid: Deidentifier, text: str, secret: str) -> None:
    assert secret in " ".join(_masked(deid, text)), text


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Accompagnement jusqu'à 21 ans possible, retraite à 62 ans.", "jusqu'à 21 ans"),
        ("Accompagnement jusqu'à 21 ans possible, retraite à 62 ans.", "retraite à 62 ans"),
        ("Courrier reçu à la CAF (93) hier.", "CAF (93)"),
        ("Un lot de 3 couches a été donné.", "lot de 3 couches"),
    ],
)
def test_keeps_heldout8_facts(deid: Deidentifier, text: str, fact: str) -> None:
    assert fact in deid.pseudonymise(text).text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Hospitalisée du 4 au 22 novembre au CHU.", "4"),
        ("Absente les 3, 7 et 12 mars pour raisons familiales.", "7"),
        ("Stage entre le 2 et le 9 janvier 2025.", "2"),
        ("Prochain rendez-vous mardi 14 à 10h.", "14"),
    ],
)
def test_a_day_whose_month_comes_later_is_a_date(deid: Deidentifier, text: str, day: str) -> None:
    assert day in _masked(deid, text), text


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Il a 3 ou 4 enfants à charge.", "3 ou 4 enfants"),
        ("Rendez-vous mardi à 14h, puis jeudi 9h30.", "mardi à 14h"),
        ("Suspendu 2 à 3 mois.", "2 à 3 mois"),
    ],
)
def test_numbers_near_days_are_not_dates(deid: Deidentifier, text: str, fact: str) -> None:
    assert fact in deid.pseudonymise(text).text, text
