def test_dashboard_after_login(client, login_as):
    login_as("admin")
    response = client.get("/dasbor")
    assert response.status_code == 200
    assert 'lang="id"' in response.get_data(as_text=True)
