from tests.admin.conftest import login
def test_smoke(app, accounts):
    c = app.test_client()
    r = c.get("/admin/dashboard/")
    assert r.status_code == 302
    login(c, accounts.emails["admin"])
    r = c.get("/admin/dashboard/")
    print(r.status_code, r.get_data(as_text=True)[:3000])
    assert r.status_code == 200
