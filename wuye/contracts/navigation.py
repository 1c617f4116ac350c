from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Contracts"), order=65, icon="file-earmark-text", items=(
        MenuItem(_("Contract register"), "contracts:contract_list", "contracts.view_contract", icon="card-list"),
        MenuItem(_("Takeovers"), "contracts:takeover_list", "contracts.view_takeover", icon="box-arrow-in-right"),
        MenuItem(_("Renewal tasks"), "contracts:renewaltask_list", "contracts.view_renewaltask",
                 icon="arrow-repeat"),
        MenuItem(_("Review checklist"), "contracts:reviewchecklistitem_list",
                 "contracts.change_reviewchecklistitem", icon="list-check"),
    )),
)
