from .views import TrainingPlanViewSet, TrainingSessionViewSet

ROUTES = [
    ("training-plans", TrainingPlanViewSet),
    ("training-sessions", TrainingSessionViewSet),
]
