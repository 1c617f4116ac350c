"""The ``results`` action of ``/api/v1/survey-campaigns/{id}/results/`` (mixed into the campaign viewset)."""


class ResultsMixin:
    pass
