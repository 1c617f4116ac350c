from . import appraisals, forms_api

ROUTES = [*forms_api.ROUTES, *appraisals.ROUTES]  # appraisal-forms; appraisal-cycles, appraisals
