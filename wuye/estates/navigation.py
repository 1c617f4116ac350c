from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Customers & estates"), order=100, icon="buildings", items=(
        MenuItem(_("Quick lookup"), "estates:lookup", "estates.view_customer", icon="telephone-inbound"),
        MenuItem(_("Customer archive"), "estates:customer_list", "estates.view_customer", icon="person-vcard"),
        MenuItem(_("Occupancies"), "estates:occupancy_list", "estates.view_occupancy", icon="house-door"),
        MenuItem(_("Estates"), "estates:estate_list", "estates.view_estate", icon="buildings"),
        MenuItem(_("Buildings"), "estates:building_list", "estates.view_building", icon="building"),
        MenuItem(_("Units"), "estates:unit_list", "estates.view_unit", icon="door-closed"),
        MenuItem(_("Owners' committees"), "estates:ownerscommittee_list", "estates.view_ownerscommittee",
                 icon="people"),
    )),
)
