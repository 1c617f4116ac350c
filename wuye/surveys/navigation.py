from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Surveys"), order=67, icon="clipboard-heart", items=(
        MenuItem(_("Survey campaigns"), "surveys:campaign_list", "surveys.view_campaign", icon="megaphone"),
        MenuItem(_("Survey responses"), "surveys:response_list", "surveys.view_response", icon="chat-square-text"),
        MenuItem(_("Satisfaction trends"), "surveys:trends", "surveys.view_campaign", icon="graph-up"),
        MenuItem(_("Questionnaires"), "surveys:questionnaire_list", "surveys.view_questionnaire",
                 icon="ui-checks"),
        MenuItem(_("Service dimensions"), "surveys:dimension_list", "surveys.view_dimension", icon="tags"),
        MenuItem(_("Survey schedule"), "surveys:schedule", "surveys.view_surveyschedule", icon="calendar-check"),
    )),
)
