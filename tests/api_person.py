"""The API as one signed-in person uses it: the base of the feature tests' desk helpers."""


class ApiPerson:
    """person.as_(user) signs in; then get/post/patch/put as that person."""

    def __init__(self, client, auth):
        self.client, self.auth = client, auth

    def as_(self, user):
        assert self.auth.login(user.email).status_code == 200
        return self

    def get(self, url: str, **params):
        return self.client.get(url, query_string=params)

    def post(self, url: str, body: dict):
        return self.client.post(url, json=body)

    def patch(self, url: str, body: dict):
        return self.client.patch(url, json=body)

    def put(self, url: str, body: dict):
        return self.client.put(url, json=body)
