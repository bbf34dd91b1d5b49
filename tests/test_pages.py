"""The H5 storefront's shell: every /h5/ deep link answers the app shell; `/` goes there."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/h5/", "/h5/products", "/h5/products/12", "/h5/expos/3",
                                  "/h5/certificates/LB2026GJ0433", "/h5/tickets/7",
                                  "/h5/no/such/page"])
def test_deep_links_answer_the_shell(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<div id="app">' in html and "/assets/h5/main.js?v=" in html
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    assert response.headers["Cache-Control"] == "no-cache"


def test_root_redirects_to_the_storefront(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/h5/")
    assert client.get("/h5").headers["Location"].endswith("/h5/")


def test_versioned_assets_are_long_cacheable_and_gzipped(client):
    html = client.get("/h5/").get_data(as_text=True)
    url = html.split('src="', 3)[-1].split('"')[0]  # the main module, with its version
    assert url.startswith("/assets/h5/main.js?v=")
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/assets/h5/main.js").headers["Cache-Control"] == "no-cache"
    etag = response.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("path", ["/assets/../config.py", "/assets/vendor/swagger-ui/LICENSE",
                                  "/assets/h5/nope.js", "/assets/vendor/vue/LICENSE"])
def test_assets_serve_only_the_storefront_files(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/console/admin/", "/console/admin/subsidy-claims/5",
                                  "/console/admin/no/such/page"])
def test_admin_console_deep_links_answer_its_shell(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/assets/console/admin/main.js?v=" in html and "主管部门工作台" in html
    assert "/assets/shared/console.css?v=" in html
    # the import map pins every page module, so a lazily loaded page is cached by version too
    page = "/assets/console/admin/pages/dashboard.js"
    assert f'"{page}": "{page}?v=' in html
    # the charts library is the dashboard's own: the shell only names its versioned URL
    assert '<script src="/assets/vendor/console/echarts' not in html
    assert '"echarts": "/assets/vendor/console/echarts/echarts.common.min.js?v=' in html
