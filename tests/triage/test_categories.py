"""The vocabulary an officer picks a category from."""

from server.triage.vocabulary import CATEGORIES
from tests.factories import make_organization, make_user


def test_categories_are_listed_with_labels(client, auth):
    auth.login(make_user(make_organization()).email)
    listed = client.get("/api/triage/categories").json
    assert [c["id"] for c in listed] == [c.slug for c in CATEGORIES]
    assert {"id": "electrical", "label": "Electrical"} in listed
