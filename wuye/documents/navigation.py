from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Documents"), order=60, icon="folder2-open", items=(
        MenuItem(_("Document register"), "documents:document_list", "documents.view_document", icon="folder2"),
        MenuItem(_("Borrowing register"), "documents:loan_list", "documents.view_loan", icon="journal-arrow-up"),
        MenuItem(_("Handovers"), "documents:handover_list", "documents.view_handover", icon="arrow-left-right"),
        MenuItem(_("Regulations"), "documents:regulation_list", "documents.view_regulation", icon="bank"),
        MenuItem(_("Withdrawal register"), "documents:withdrawal_register", "documents.view_document",
                 icon="x-octagon"),
        MenuItem(_("Document categories"), "documents:documentcategory_list", "documents.change_documentcategory",
                 icon="diagram-3"),
        MenuItem(_("Storage locations"), "documents:location_list", "documents.change_location", icon="geo-alt"),
        MenuItem(_("Archive requirements"), "documents:archiverequirement_list",
                 "documents.change_archiverequirement", icon="card-checklist"),
    )),
)
