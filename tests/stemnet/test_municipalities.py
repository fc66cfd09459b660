import pytest
from django.core.management import call_command

from stemnet.models import Municipality, PostalCode
from stemnet.reference import municipalities_for_postal_code, municipality_for_refnis


@pytest.mark.django_db
def test_load_municipalities_is_idempotent_and_yields_285_flemish_in_5_provinces():
    call_command("load_municipalities", verbosity=0)
    first = (Municipality.objects.count(), PostalCode.objects.count())
    call_command("load_municipalities", verbosity=0)
    assert (Municipality.objects.count(), PostalCode.objects.count()) == first
    flemish = Municipality.objects.flemish()
    assert flemish.count() == 285
    assert sorted(set(flemish.values_list("province__name", flat=True))) == [
        "Provincie Antwerpen",
        "Provincie Limburg",
        "Provincie Oost-Vlaanderen",
        "Provincie Vlaams-Brabant",
        "Provincie West-Vlaanderen",
    ]


@pytest.mark.django_db
def test_postal_code_resolves_to_its_municipality_or_municipalities(municipalities):
    assert [m.name for m in municipalities_for_postal_code("9000")] == ["Gent"]
    assert [m.refnis for m in municipalities_for_postal_code("3000")] == ["24062"]
    # 1804 belongs to two municipalities (the street decides).
    assert len(municipalities_for_postal_code("1804")) == 2
    assert municipalities_for_postal_code("0000") == []


@pytest.mark.django_db
def test_merged_municipality_code_maps_to_its_successor(tmp_path, municipalities):
    merged = tmp_path / "merged.csv"
    merged.write_text("old_refnis,old_name,new_refnis\n44999,Oudgem,44021\n", encoding="utf-8")
    call_command("load_municipalities", successors=merged, verbosity=0)
    assert municipality_for_refnis("44999").refnis == "44021"
    assert Municipality.objects.flemish().count() == 285
