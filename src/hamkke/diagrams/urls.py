from django.urls import path

from . import views

app_name = "diagrams"
urlpatterns = [
    path("cases/<uuid:uuid>/diagrams/", views.case_diagrams, name="case"),
    path("cases/<uuid:uuid>/diagrams/ecomap.svg", views.diagram_svg, {"kind": "ecomap"}, name="ecomap_svg"),
    path("cases/<uuid:uuid>/diagrams/genogram.svg", views.diagram_svg, {"kind": "genogram"}, name="genogram_svg"),
]
