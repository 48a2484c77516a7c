app_name = "conferences"
urlpatterns: list = []
