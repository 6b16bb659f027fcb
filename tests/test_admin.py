"""The admin "Pipelines" page and the read-only cached-entry admin: permissions, CSRF, actions, secrets."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pyot_django import operations as ops
from pyot_django.models import PyotEntry
from pyot_django.stores.riotapi import key_identity
from tests.ops_support import (
    FAKE_KEY,
    METHOD,
    expired_orm_row,
    ops_settings,
    summoner,
    token,
)

pytestmark = pytest.mark.django_db

RIOT = {
    "BACKEND": "pyot_django.stores.RiotAPI",
    "API_KEY": FAKE_KEY,
    "BASE_URL": "http://127.0.0.1:9/{server}",  # never contacted: the page makes no request
}
TOKEN_QUERY = {"pipeline": "lol", "server": "na1", "method": METHOD, "params": "encryptedPUUID=a", "queries": ""}


@pytest.fixture
def riot_config():
    with ops_settings(riot=RIOT) as config:
        yield config


@pytest.fixture
def fake_config():
    with ops_settings() as config:
        yield config


def _user(name: str, *, staff: bool = True, superuser: bool = False, perms: tuple[str, ...] = ()) -> User:
    user = User.objects.create_user(name, password="pw", is_staff=staff, is_superuser=superuser)
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="pyot_django", codename=codename))
    return user


ROLES = ("anonymous", "user", "staff", "viewer", "operator", "superuser")


def _client(role: str, **kwargs: object) -> Client:
    client = Client(**kwargs)
    if role == "anonymous":
        return client
    users = {
        "user": lambda: _user("user", staff=False, perms=("view_pipeline", "operate_pipeline")),
        "staff": lambda: _user("staff"),
        "viewer": lambda: _user("viewer", perms=("view_pipeline",)),
        "operator": lambda: _user("operator", perms=("operate_pipeline",)),
        "superuser": lambda: _user("root", superuser=True),
    }
    client.force_login(users[role]())
    return client


def _urls() -> dict[str, tuple[str, str, bool]]:
    """name → (method, url, needs operate)."""
    lookup = reverse("admin:pyot_django_pipeline_lookup")
    delete = reverse("admin:pyot_django_pipeline_delete_token")
    return {
        "changelist": ("get", reverse("admin:pyot_django_pipeline_changelist"), False),
        "lookup form": ("get", lookup, False),
        "lookup result": ("get", f"{lookup}?{urlencode(TOKEN_QUERY)}", False),
        "clear confirm": ("get", reverse("admin:pyot_django_pipeline_action", args=["lol", "clear"]), True),
        "clear": ("post", reverse("admin:pyot_django_pipeline_action", args=["lol", "clear"]), True),
        "expire confirm": ("get", reverse("admin:pyot_django_pipeline_action", args=["lol", "expire"]), True),
        "expire": ("post", reverse("admin:pyot_django_pipeline_action", args=["lol", "expire"]), True),
        "store clear confirm": (
            "get",
            reverse("admin:pyot_django_pipeline_store_action", args=["lol", 1, "clear"]),
            True,
        ),
        "store clear": ("post", reverse("admin:pyot_django_pipeline_store_action", args=["lol", 1, "clear"]), True),
        "store expire": ("post", reverse("admin:pyot_django_pipeline_store_action", args=["lol", 2, "expire"]), True),
        "delete confirm": ("get", f"{delete}?{urlencode(TOKEN_QUERY)}", True),
        "delete": ("post", delete, True),
    }


def _expected(role: str, needs_operate: bool, method: str) -> int:
    if role in ("anonymous", "user"):
        return 302  # to the admin login
    if role == "staff" or (role == "viewer" and needs_operate):
        return 403
    return 302 if method == "post" else 200


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(fake_config, role):
    ops.fetch_token(*summoner("a"))
    client = _client(role)
    for name, (method, url, needs_operate) in _urls().items():
        data = TOKEN_QUERY if name == "delete" else {}
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        expected = _expected(role, needs_operate, method)
        assert response.status_code == expected, f"{role} {method.upper()} {name}: {response.status_code}"
        if role in ("anonymous", "user"):
            assert response["Location"].startswith(reverse("admin:login") + "?next=")


@pytest.mark.parametrize(("role", "listed"), [("staff", False), ("viewer", True), ("operator", True)])
def test_admin_index_lists_pipelines_only_for_permitted_staff(fake_config, role, listed):
    html = _client(role).get(reverse("admin:index")).content.decode()
    assert (reverse("admin:pyot_django_pipeline_changelist") in html) is listed


def test_viewer_sees_panels_read_only_and_operator_sees_buttons(fake_config):
    ops.fetch_token(*summoner("a"))
    url = reverse("admin:pyot_django_pipeline_changelist")
    viewer = _client("viewer").get(url).content.decode()
    operator = _client("operator").get(url).content.decode()
    for html in (viewer, operator):
        assert 'id="pipeline-lol"' in html and 'id="pipeline-tft"' in html
        assert html.index("Memory") < html.index("DjangoCache") < html.index("DjangoORM") < html.index("FakeService")
        assert "pyot_django.PyotEntry" in html
    assert "Clear pipeline" not in viewer and "/lol/clear/" not in viewer
    assert "Clear pipeline" in operator and "/lol/stores/1/clear/" in operator and "/lol/stores/3/" not in operator


@pytest.mark.parametrize("name", ["clear", "expire", "store clear", "store expire", "delete"])
def test_csrf_is_enforced_on_every_action(fake_config, name):
    ops.fetch_token(*summoner("a"))
    client = _client("superuser", enforce_csrf_checks=True)
    _, url, _ = _urls()[name]
    data = dict(TOKEN_QUERY) if name == "delete" else {}
    assert client.post(url, data).status_code == 403
    assert ops.lookup_token(*summoner("a")).stores[1].held  # nothing happened
    confirm_url = (
        f"{reverse('admin:pyot_django_pipeline_delete_token')}?{urlencode(TOKEN_QUERY)}" if name == "delete" else url
    )
    confirm = client.get(confirm_url)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirm.content.decode()).group(1)
    response = client.post(url, {**data, "csrfmiddlewaretoken": csrf})
    assert response.status_code == 302


def test_clearing_a_pipeline_confirms_acts_logs_and_messages(fake_config):
    ops.fetch_token(*summoner("a"))
    client = _client("operator")
    url = reverse("admin:pyot_django_pipeline_action", args=["lol", "clear"])
    confirm = client.get(url).content.decode()
    assert "Clear pipeline &#x27;lol&#x27;" in confirm and 'type="submit"' in confirm
    assert ops.lookup_token(*summoner("a")).found  # GET changed nothing
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:pyot_django_pipeline_changelist")
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Cleared pipeline 'lol': 3 entries removed."]
    assert not ops.lookup_token(*summoner("a")).found
    entry = LogEntry.objects.get()
    assert entry.object_id == "lol" and entry.user.username == "operator"
    assert entry.get_change_message() == "Cleared pipeline 'lol': 3 entries removed."
    assert entry.content_type.model_class().__name__ == "Pipeline"


def test_clearing_one_store(fake_config):
    ops.fetch_token(*summoner("a"))
    client = _client("operator")
    url = reverse("admin:pyot_django_pipeline_store_action", args=["lol", 1, "clear"])
    assert "store 1 (DjangoCache)" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Cleared pipeline 'lol', store 1 (DjangoCache): 1 entry removed."]
    assert [s.held for s in ops.lookup_token(*summoner("a")).stores] == [True, False, True, None]


def test_expiring_drops_expired_rows(fake_config):
    expired_orm_row()
    response = _client("superuser").post(
        reverse("admin:pyot_django_pipeline_action", args=["lol", "expire"]), follow=True
    )
    assert "Expired pipeline &#x27;lol&#x27;: 1 entry removed." in response.content.decode()
    assert not PyotEntry.objects.exists()


@pytest.mark.parametrize("args", [("nope", "clear"), ("lol", "explode"), ("lol", 9, "clear"), ("lol", 3, "clear")])
def test_bad_action_urls_are_404(fake_config, args):
    name = "pyot_django_pipeline_action" if len(args) == 2 else "pyot_django_pipeline_store_action"
    client = _client("superuser")
    assert client.get(reverse(f"admin:{name}", args=args)).status_code == 404
    assert client.post(reverse(f"admin:{name}", args=args)).status_code == 404


def test_lookup_shows_where_a_token_is_cached_and_deletes_it(fake_config):
    ops.fetch_token(*summoner("a"))
    client = _client("operator")
    lookup = f"{reverse('admin:pyot_django_pipeline_lookup')}?{urlencode(TOKEN_QUERY)}"
    html = client.get(lookup).content.decode()
    assert "Cached" in html and token("a").stringify in html
    assert html.count('class="pyot-state"') == 4 and "not asked (service)" in html
    assert "&quot;method&quot;: &quot;summoner-v4.getByPUUID&quot;" in html
    assert 'id="pyot-delete"' in html
    delete = re.search(r'id="pyot-delete" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    confirm = client.get(delete).content.decode()
    assert "Delete lol:na1:summoner-v4.getByPUUID:encryptedPUUID=a" in confirm
    assert ops.lookup_token(*summoner("a")).found
    response = client.post(reverse("admin:pyot_django_pipeline_delete_token"), TOKEN_QUERY, follow=True)
    page = response.content.decode()
    assert (
        "Deleted lol:na1:summoner-v4.getByPUUID:encryptedPUUID=a from pipeline &#x27;lol&#x27;; stores: 0, 1, 2."
        in page
    )
    assert "Not cached anywhere" in page
    assert not ops.lookup_token(*summoner("a")).found
    assert LogEntry.objects.get().object_id == "lol"


def test_viewer_may_look_up_but_not_delete(fake_config):
    ops.fetch_token(*summoner("a"))
    html = _client("viewer").get(f"{reverse('admin:pyot_django_pipeline_lookup')}?{urlencode(TOKEN_QUERY)}").content
    assert b"Cached" in html and b'id="pyot-delete"' not in html


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"method": "summoner-v4.getByPuuid"}, "Select a valid choice"),
        ({"server": "europe"}, "routed by platform"),
        ({"params": "puuid=x"}, "encryptedPUUID"),
        ({"params": "garbage"}, "Expected key=value"),
        ({"pipeline": "val"}, "Select a valid choice"),
    ],
)
def test_lookup_form_errors_are_shown(fake_config, change, fragment):
    query = urlencode({**TOKEN_QUERY, **change})
    response = _client("viewer").get(f"{reverse('admin:pyot_django_pipeline_lookup')}?{query}")
    assert response.status_code == 200
    assert fragment in response.content.decode().replace("&#x27;", "'")


def test_method_choices_come_from_the_catalogue_per_game(fake_config):
    html = _client("viewer").get(reverse("admin:pyot_django_pipeline_changelist")).content.decode()
    assert '<optgroup label="lol">' in html and '<optgroup label="tft">' in html
    lol = html.split('<optgroup label="lol">')[1].split("</optgroup>")[0]
    tft = html.split('<optgroup label="tft">')[1].split("</optgroup>")[0]
    assert "match-v5.getMatch" in lol and "tft-match-v1.getMatch" not in lol
    assert "tft-match-v1.getMatch" in tft and "account-v1.getByRiotId" in tft
    assert "tournament-v5.createTournamentCode" not in lol  # POST operations are never cached


def test_the_api_key_never_appears_in_any_admin_page(riot_config):
    ops.lookup_token(*summoner("a"))
    PyotEntry.objects.create(pipeline="lol", server="na1", method=METHOD, key="k", value={"x": 1})
    client = _client("superuser")
    urls = [url for method, url, _ in _urls().values() if method == "get"] + [
        reverse("admin:index"),
        reverse("admin:app_list", args=["pyot_django"]),
        reverse("admin:pyot_django_pyotentry_changelist"),
        reverse("admin:pyot_django_pyotentry_change", args=[PyotEntry.objects.get().pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert FAKE_KEY not in html and "SECRETKEYVISIBLE" not in html, url
    changelist = client.get(reverse("admin:pyot_django_pipeline_changelist")).content.decode()
    # The key only as its identity hash: not even its last characters (issue 12).
    assert "RiotAPI" in changelist and FAKE_KEY[-4:] not in changelist and "api_key" not in changelist
    assert key_identity(FAKE_KEY) in changelist
    # The actions' pages too.
    for method, url, _ in _urls().values():
        if method == "post":
            html = client.post(url, TOKEN_QUERY, follow=True).content.decode()
            assert FAKE_KEY not in html and "SECRETKEYVISIBLE" not in html, url


def test_broken_settings_show_an_error_not_a_500():
    from django.test import override_settings

    with override_settings(PYOT={"lol": {"STORES": [{"BACKEND": "nope.Store"}]}}):
        html = _client("superuser").get(reverse("admin:pyot_django_pipeline_changelist")).content.decode()
    assert "settings.PYOT cannot be built" in html and "nope.Store" in html


# -- cached entries (PyotEntry) ------------------------------------------------------------------


def test_entry_admin_is_read_only_with_filters_and_search(fake_config):
    now = timezone.now()
    PyotEntry.objects.create(pipeline="lol", server="na1", method=METHOD, key="live-key", value={"v": 1})
    PyotEntry.objects.create(
        pipeline="tft", server="euw1", method="m", key="old-key", value={}, expires_at=now - timedelta(seconds=1)
    )
    client = _client("superuser")
    url = reverse("admin:pyot_django_pyotentry_changelist")
    html = client.get(url).content.decode()
    assert "live-key" in html and "old-key" in html
    for parameter in ("pipeline", "method", "server", "expired"):
        assert f"?{parameter}" in html or f"&amp;{parameter}" in html, parameter
    assert "old-key" not in client.get(url, {"expired": "no"}).content.decode()
    expired = client.get(url, {"expired": "yes"}).content.decode()
    assert "old-key" in expired and "live-key" not in expired
    searched = client.get(url, {"q": "live"}).content.decode()
    assert "live-key" in searched and "old-key" not in searched
    assert client.get(reverse("admin:pyot_django_pyotentry_add")).status_code == 403
    entry = PyotEntry.objects.get(key="live-key")
    change = client.get(reverse("admin:pyot_django_pyotentry_change", args=[entry.pk])).content.decode()
    assert 'name="_save"' not in change and "&quot;v&quot;: 1" in change
    assert client.post(reverse("admin:pyot_django_pyotentry_delete", args=[entry.pk])).status_code == 403
    assert client.post(url, {"action": "delete_selected", "_selected_action": [entry.pk]}).status_code in (200, 302)
    assert PyotEntry.objects.filter(pk=entry.pk).exists()


# -- issue 12's admin polish ------------------------------------------------------------------------


def test_the_app_is_listed_as_pyot(fake_config):
    from django.apps import apps

    assert apps.get_app_config("pyot_django").verbose_name == "Pyot"
    html = _client("superuser").get(reverse("admin:index")).content.decode()
    assert ">Pyot</a>" in html and "Pyot_Django" not in html and "Pyot Django" not in html


def test_a_fresh_lookup_form_starts_on_a_lookup_that_routes(fake_config):
    from pyot_django.admin_forms import TokenForm, catalogue_hints, default_lookup
    from pyot_django.riot import get_endpoint, routing_values

    form = TokenForm()
    assert (form.initial["method"], form.initial["server"]) == ("summoner-v4.getByPUUID", "na1")
    for game in ("lol", "tft", "lor", "val", "riot"):
        operation, server = default_lookup(game)
        assert server in routing_values(operation, game), game
    hints = catalogue_hints()["lol"]
    assert hints["match-v5.getMatch"]["servers"] == "Regions"
    assert hints[METHOD]["servers"] == "Platforms" and hints[METHOD]["default_server"] == "na1"
    groups = [label for label, _ in form.fields["server"].choices]
    assert groups == ["Platforms", "Regions", "VALORANT shards"]
    assert get_endpoint("lol", "account-v1.getByRiotId").route == "regional"


def test_a_lookup_that_does_not_route_is_a_form_error_not_a_500(fake_config):
    query = {**TOKEN_QUERY, "server": "americas"}  # summoner-v4 needs a platform
    response = _client("superuser").get(reverse("admin:pyot_django_pipeline_lookup"), query)
    assert response.status_code == 200 and "routed by platform" in response.content.decode()


def test_the_lookup_shows_the_key_outside_the_blue_heading(fake_config):
    ops.lookup_token(*summoner("a"))
    html = _client("superuser").get(reverse("admin:pyot_django_pipeline_lookup"), TOKEN_QUERY).content.decode()
    heading = re.search(r"<h2>(.*?)</h2>", html.split('id="pyot-lookup-result"')[1], re.S).group(1)
    assert "<code" not in heading
    assert re.search(r'<p class="pyot-key">Cache key: <code id="pyot-key">[^<]*encryptedPUUID=a</code>', html)
    assert "<th>Expires at</th>" in html


def test_cached_entries_say_never_and_shorten_long_keys(fake_config):
    PyotEntry.objects.create(pipeline="lol", server="na1", method=METHOD, key="k" * 200, value={}, expires_at=None)
    client = _client("superuser")
    html = client.get(reverse("admin:pyot_django_pyotentry_changelist")).content.decode()
    assert re.search(r'<td class="field-expires">never</td>', html)
    assert f'title="{"k" * 200}"' in html and f">{'k' * 16}…<" in html
    change = client.get(reverse("admin:pyot_django_pyotentry_change", args=[PyotEntry.objects.get().pk]))
    assert "never" in change.content.decode()
