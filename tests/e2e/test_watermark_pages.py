"""The watermark page over HTTP, as a browser without JavaScript uses it: the form, its
Preview button, saving, the preview image, and clearing."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image

from sharebound.services import watermarks
from tests.e2e.conftest import WORLD_PASSWORD, csrf_of, sign_in_page
from tests.integration.world import World


def _tokens(page: str) -> dict[str, str]:
    return {"csrf": csrf_of(page), "form_id": page.split('name="form_id" value="')[1].split('"')[0]}


FORM = {"fields": ["recipient_email", "custom_text"], "order_recipient_email": "2",
        "order_custom_text": "1", "custom_text": "Do not forward", "position": "header",
        "size": "10", "opacity": "0.8"}


def test_the_preview_button_shows_the_typed_template_without_saving_it(
        client: TestClient, world: World) -> None:
    sign_in_page(client, world.alice.email, WORLD_PASSWORD)
    page = client.get("/admin/watermark").text

    shown = client.post("/admin/watermark", data={**_tokens(page), **FORM, "do": "preview"})

    assert shown.status_code == 200
    assert "No template is set" in shown.text
    assert "/admin/watermark/preview.png?fields=custom_text%2Crecipient_email" in shown.text
    assert watermarks.org_watermark(world.uow(), world.alice.id, "acme").setting is None


def test_saving_the_form_sets_the_orgs_template_in_the_order_of_the_numbers(
        client: TestClient, world: World) -> None:
    sign_in_page(client, world.alice.email, WORLD_PASSWORD)
    page = client.get("/admin/watermark").text

    saved = client.post("/admin/watermark", data={**_tokens(page), **FORM, "do": "save"},
                        follow_redirects=True)

    assert saved.status_code == 200 and "The template is saved" in saved.text
    view = watermarks.org_watermark(world.uow(), world.alice.id, "acme")
    assert view.setting is not None
    assert [f.value for f in view.setting.template.fields] == ["custom_text", "recipient_email"]
    cleared = client.post("/admin/watermark/clear", data=_tokens(saved.text), follow_redirects=True)
    assert "The template is cleared" in cleared.text


def test_a_bad_value_is_shown_beside_its_field_and_nothing_is_saved(
        client: TestClient, world: World) -> None:
    sign_in_page(client, world.alice.email, WORLD_PASSWORD)
    page = client.get("/admin/watermark").text

    refused = client.post("/admin/watermark", data={**_tokens(page), **FORM, "size": "500",
                                                    "do": "save"})

    assert refused.status_code == 422 and "from 4 to 72 pt" in refused.text
    assert watermarks.org_watermark(world.uow(), world.alice.id, "acme").setting is None


def test_the_preview_image_is_a_stamped_sample_page_and_only_for_admins(
        client: TestClient, world: World) -> None:
    sign_in_page(client, world.alice.email, WORLD_PASSWORD)

    image = client.get("/admin/watermark/preview.png", params={
        "fields": "recipient_name,ip", "position": "footer", "size": "9", "opacity": "0.5"})

    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == (496, 702)
    client.post("/logout", data={"csrf": csrf_of(client.get("/").text)})
    sign_in_page(client, world.gina.email, WORLD_PASSWORD)
    assert client.get("/admin/watermark/preview.png").status_code == 403
    assert client.get("/admin/watermark").status_code == 403


def test_an_agreements_template_is_set_from_the_same_page_and_wins_over_the_orgs(
        client: TestClient, world: World) -> None:
    agreement = world.signed()
    sign_in_page(client, world.alice.email, WORLD_PASSWORD)
    assert agreement.id in client.get("/admin/watermark").text  # offered in the scope chooser
    page = client.get("/admin/watermark", params={"agreement": agreement.id}).text

    saved = client.post("/admin/watermark", data={**_tokens(page), **FORM, "do": "save",
                                                  "agreement": agreement.id}, follow_redirects=True)

    assert "This agreement has its own template" in saved.text
    view = watermarks.agreement_watermark(world.uow(), world.alice.id, agreement.id)
    assert view.applies == "agreement"
