"""A phone that kept unsent reports in the first version of the app's database upgrades to the
typed, per-person outbox without losing one, and then sends them."""

import base64
import hashlib
import uuid

from playwright.sync_api import expect

from e2e.conftest import PHONE
from e2e.journeys import make_photo, synced, unsent
from e2e.steps import api_session, hold_sending, outbox_items, queue_ids

# The first version, word for word where it writes: db.js's schema, outbox.add, the item that
# capture.js built and the profile that signing in kept. Served at a page of the app's origin.
VERSION_1 = """<!doctype html><meta charset="utf-8"><title>version 1</title>
<script type="module">
import { openDB } from '/vendor/idb/index.js';

const db = () => openDB('safeloop', 1, {
  upgrade(database) {
    const outbox = database.createObjectStore('outbox', { keyPath: 'id' });
    outbox.createIndex('savedAt', 'savedAt');
    database.createObjectStore('photos', { keyPath: 'sha256' });
    const synced = database.createObjectStore('synced', { keyPath: 'id' });
    synced.createIndex('observedAt', 'observed_at');
    database.createObjectStore('meta');
  },
});

async function add(report, photos) {
  const tx = (await db()).transaction(['outbox', 'photos'], 'readwrite');
  for (const photo of photos) tx.objectStore('photos').put(photo);
  tx.objectStore('outbox').put({ ...report, state: 'saved', reason: null, savedAt: Date.now() });
  await tx.done;
}

const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;

window.makeVersion1 = async ({ me, reports }) => {
  const database = await db();
  await database.put('meta', me, 'me');
  await database.put('meta', 3, 'cursor');
  await database.put('meta', me.sites[0].id, 'lastSiteId');
  await database.put('synced', { id: 'cached-by-version-1', kind: 'hazard',
    description: 'A cached report whose owner version 1 did not record',
    observed_at: new Date().toISOString(), status: 'received' });
  for (const [i, r] of reports.entries()) {
    const site = me.sites[0];
    const observed = new Date(Date.now() - 60000 * (10 - i)).toISOString();
    await add({
      id: r.id, kind: 'hazard', site_id: site.id, siteName: site.name,
      observed_at: observed, description: r.description,
      location: { lat: 53.48, lon: -2.24, accuracy_m: 12 }, severity: 3, likelihood: 4,
      photos: r.photos.map(({ sha256, width, height }) =>
        ({ sha256, content_type: 'image/jpeg', width, height })),
      userId: me.user.id,
    }, r.photos.map(({ sha256, b64, width, height }) =>
      ({ sha256, type: 'image/jpeg', bytes: bytes(b64), width, height })));
  }
  if (reports.length > 1) {
    const tx = database.transaction('outbox', 'readwrite');
    const last = await tx.store.get(reports.at(-1).id);
    await tx.store.put({ ...last, state: 'attention', reason: 'The server refused this report.' });
    await tx.done;
  }
  database.close();
  return 'ok';
};
</script>"""


def photo(folder) -> dict:
    """A photo as the phone kept it: its bytes (base64 here) and their SHA-256."""
    data = make_photo(folder, size=(800, 600)).read_bytes()
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "b64": base64.b64encode(data).decode(),
        "width": 800,
        "height": 600,
    }


def test_unsent_reports_of_version_1_survive_the_upgrade_and_are_sent(
    browser, live_server, tmp_path, screenshot
):
    tag = uuid.uuid4().hex[:8]
    worker = api_session(browser, live_server, "worker")
    me = worker.get("/api/auth/me").json()
    reports = [
        {
            "id": str(uuid.uuid4()),
            "description": f"Version 1 report {n} {tag}",
            "photos": [photo(tmp_path) for _ in range(n)],
        }
        for n in range(3)
    ]
    # No service worker: the page of version 1 must not be answered by today's cached shell.
    context = browser.new_context(**PHONE, service_workers="block")
    page = context.new_page()
    page.route(
        f"{live_server}/version-1.html",
        lambda route: route.fulfill(content_type="text/html", body=VERSION_1),
    )
    page.goto(f"{live_server}/version-1.html")
    page.wait_for_function("window.makeVersion1 !== undefined")
    assert page.evaluate("(data) => window.makeVersion1(data)", {"me": me, "reports": reports})

    # The session cookie: the phone was signed in when it was updated.
    for cookie in worker.storage_state()["cookies"]:
        context.add_cookies([cookie])
    release = hold_sending(page)
    page.goto(f"{live_server}/#/reports")
    expect(unsent(page)).to_have_count(3)
    for report in reports:
        expect(unsent(page).filter(has_text=report["description"])).to_have_count(1)
    expect(page.locator("#outbox-list [data-state=attention]")).to_have_count(1)
    expect(page.get_by_text("A cached report whose owner")).to_have_count(0)
    screenshot(page, "phone-outbox-upgraded")

    assert page.evaluate("indexedDB.databases()")[0]["version"] == page.evaluate(
        "import('/js/db.js').then((db) => db.VERSION)"
    )
    items = {item["id"]: item for item in outbox_items(page)}
    assert set(items) == {r["id"] for r in reports}
    for report in reports:
        item = items[report["id"]]
        assert item["type"] == "report" and item["userId"] == me["user"]["id"]
        assert item["body"]["description"] == report["description"]
        assert item["body"]["severity"] == 3 and item["body"]["location"]["accuracy_m"] == 12
        assert [p["sha256"] for p in item["photos"]] == [p["sha256"] for p in report["photos"]]

    release()
    page.get_by_role("button", name="Sync now").click()
    expect(unsent(page)).to_have_count(1, timeout=20_000)  # the one that needs attention
    expect(synced(page).filter(has_text=tag)).to_have_count(2)
    page.get_by_role("button", name="Try again").click()
    expect(unsent(page)).to_have_count(0, timeout=20_000)
    expect(synced(page).filter(has_text=tag)).to_have_count(3)

    officer = api_session(browser, live_server, "officer")
    assert sorted(queue_ids(officer, tag)) == sorted(r["id"] for r in reports)
    for report in reports:
        held = officer.get(f"/api/reports/{report['id']}").json()["photos"]
        assert [p["sha256"] for p in held] == [p["sha256"] for p in report["photos"]]
        assert all(p["received"] for p in held)
    context.close()
