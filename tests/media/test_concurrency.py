"""Two uploads of the same photo at the same moment give one row and two good answers."""

import threading

from server.media import imaging
from tests.factories import PASSWORD
from tests.media import images


def test_two_simultaneous_uploads_give_one_row(app, member, monkeypatch, photo_count):
    data = images.jpeg()
    url = f"/api/photos/{images.sha256(data)}"
    clients = [app.test_client(), app.test_client()]
    for client in clients:
        client.post("/api/auth/login", json={"email": member.email, "password": PASSWORD})

    # Both requests have looked for the row and found none before either adds it.
    both_checked = threading.Barrier(2, timeout=20)
    render = imaging.render_derivatives

    def render_together(*args):
        both_checked.wait()
        return render(*args)

    monkeypatch.setattr(imaging, "render_derivatives", render_together)
    statuses = []

    def send(client):
        statuses.append(client.put(url, data=data, content_type="image/jpeg").status_code)

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200, 201]
    assert photo_count() == 1
