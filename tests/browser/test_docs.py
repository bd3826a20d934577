"""/docs in Chromium with no network beyond the companion: Swagger UI renders, and "Authorize"
plus "Try it out" reach the API with the token."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.harness import CHROMIUM, Companion
from tests.support import CHROMIUM_ARGS

pytestmark = pytest.mark.browser


def test_swagger_ui_works_offline_and_try_it_out_sends_the_token(
    shared_companion: Companion, playwright_driver: Any
) -> None:
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    refused: list[str] = []

    def only_the_companion(route: Any) -> None:
        if route.request.url.startswith(shared_companion.base + "/"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    try:
        page = browser.new_page()
        page.route("**/*", only_the_companion)
        page.goto(f"{shared_companion.base}/docs")
        page.wait_for_selector(".swagger-ui .info .title:has-text('Inflow companion')")

        page.click(".swagger-ui .auth-wrapper button.authorize")
        page.fill(".auth-container input[type=text], .auth-container input", shared_companion.token)
        page.click(".auth-btn-wrapper button.authorize")
        page.click("button.btn-done")

        operation = page.locator("#operations-status-get_status_api_v1_status_get")
        operation.locator(".opblock-summary").click()
        operation.locator("button.try-out__btn").click()
        operation.locator("button.execute").click()
        status = operation.locator(".live-responses-table .response .response-col_status")
        status.first.wait_for(timeout=30_000)
        assert status.first.inner_text().strip() == "200"
        assert '"queue_depth"' in operation.locator(".live-responses-table").inner_text()
    finally:
        browser.close()
    assert refused == []
