import io

import openpyxl
from django.urls import reverse


def test_admin_exports_checkpoints_as_a_real_xlsx_with_the_rows(admin_client, filled):
    url = reverse("admin:roadmaps_checkpoint_export")
    form = admin_client.get(url).context["form"]
    xlsx = next(value for value, label in form.fields["format"].choices if label == "xlsx")
    data = {"format": xlsx, "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("checkpointresource_")})
    response = admin_client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    assert "spreadsheetml" in response["Content-Type"]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "roadmap", "activity_number")
    assert len(rows) == 1 + 5
    assert {r[2] for r in rows[1:]} == {"1.1.", "1.2.", "1.10."}
