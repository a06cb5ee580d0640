def test_login_page_renders(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()
