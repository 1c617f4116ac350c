from django.urls import path

from . import views

app_name = "estates"

urlpatterns = [
    path("lookup/", views.LookupView.as_view(), name="lookup"),
    # estates
    path("", views.EstateListView.as_view(), name="estate_list"),
    path("add/", views.EstateEditView.as_view(), name="estate_add"),
    path("<int:pk>/", views.EstateView.as_view(), name="estate"),
    path("<int:pk>/edit/", views.EstateEditView.as_view(), name="estate_edit"),
    path("<int:pk>/history/", views.EstateHistoryView.as_view(), name="estate_history"),
    # buildings
    path("buildings/", views.BuildingListView.as_view(), name="building_list"),
    path("buildings/add/", views.BuildingEditView.as_view(), name="building_add"),
    path("buildings/<int:pk>/", views.BuildingView.as_view(), name="building"),
    path("buildings/<int:pk>/edit/", views.BuildingEditView.as_view(), name="building_edit"),
    path("buildings/<int:pk>/history/", views.BuildingHistoryView.as_view(), name="building_history"),
    # units
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/add/", views.UnitEditView.as_view(), name="unit_add"),
    path("units/import/", views.UnitImportView.as_view(), name="unit_import"),
    path("units/import/template/", views.UnitImportTemplateView.as_view(), name="unit_import_template"),
    path("units/<int:pk>/", views.UnitView.as_view(), name="unit"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    path("units/<int:pk>/history/", views.UnitHistoryView.as_view(), name="unit_history"),
    # customers
    path("customers/", views.CustomerListView.as_view(), name="customer_list"),
    path("customers/add/", views.CustomerEditView.as_view(), name="customer_add"),
    path("customers/import/", views.CustomerImportView.as_view(), name="customer_import"),
    path("customers/import/template/", views.CustomerImportTemplateView.as_view(),
         name="customer_import_template"),
    path("customers/<int:pk>/", views.CustomerView.as_view(), name="customer"),
    path("customers/<int:pk>/edit/", views.CustomerEditView.as_view(), name="customer_edit"),
    path("customers/<int:pk>/history/", views.CustomerHistoryView.as_view(), name="customer_history"),
    path("customers/<int:pk>/archive/", views.CustomerArchiveView.as_view(), name="customer_archive"),
    path("customers/<int:pk>/reactivate/", views.CustomerReactivateView.as_view(), name="customer_reactivate"),
    path("customers/<int:pk>/reveal/<str:field>/", views.CustomerRevealView.as_view(), name="customer_reveal"),
    # occupancies
    path("occupancies/", views.OccupancyListView.as_view(), name="occupancy_list"),
    path("occupancies/add/", views.OccupancyStartView.as_view(), name="occupancy_add"),
    path("occupancies/<int:pk>/", views.OccupancyView.as_view(), name="occupancy"),
    path("occupancies/<int:pk>/edit/", views.OccupancyEditView.as_view(), name="occupancy_edit"),
    path("occupancies/<int:pk>/history/", views.OccupancyHistoryView.as_view(), name="occupancy_history"),
    path("occupancies/<int:pk>/end/", views.OccupancyEndView.as_view(), name="occupancy_end"),
    # owners' committees
    path("committees/", views.OwnersCommitteeListView.as_view(), name="ownerscommittee_list"),
    path("committees/add/", views.OwnersCommitteeEditView.as_view(), name="ownerscommittee_add"),
    path("committees/<int:pk>/", views.OwnersCommitteeView.as_view(), name="ownerscommittee"),
    path("committees/<int:pk>/edit/", views.OwnersCommitteeEditView.as_view(), name="ownerscommittee_edit"),
    path("committees/<int:pk>/history/", views.OwnersCommitteeHistoryView.as_view(),
         name="ownerscommittee_history"),
    path("committees/<int:pk>/end/", views.OwnersCommitteeEndView.as_view(), name="ownerscommittee_end"),
    path("committee-members/add/", views.CommitteeMemberEditView.as_view(), name="committeemember_add"),
    path("committee-members/<int:pk>/edit/", views.CommitteeMemberEditView.as_view(),
         name="committeemember_edit"),
]
