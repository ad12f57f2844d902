def test_login_page(client):
    response = client.get("/login")
    assert response.status_code == 200


def test_every_demo_account_signs_in_and_sees_home(client, demo, login_as):
    for username in demo:
        c = login_as(username)
        response = c.get("/", follow_redirects=True)
        assert response.status_code == 200, username
        c.post(
            "/logout",
            headers={"X-CSRFToken": __import__("tests.conftest", fromlist=["x"]).csrf_token(c, "/")},
        )
