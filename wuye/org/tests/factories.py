import factory
from django.contrib.auth.models import Group, User

from wuye.org.models import Company, Department, Post, Staff


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", "pw-test-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get(name=str(r)) for r in extracted])
        if create:
            self.save()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("name",)

    name = "示范物业服务有限公司"
    short_name = "示范物业"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("company", "code")

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"部门{n}")
    code = factory.Sequence(lambda n: f"d{n}")
    responsibilities = "受理客户报修、投诉、咨询，跟踪处理并回访。"


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"岗位{n}")
    code = factory.Sequence(lambda n: f"p{n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Faker("name", locale="zh_CN")
    post = factory.SubFactory(PostFactory)
    department = factory.SelfAttribute("post.department")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")

    @factory.post_generation
    def estates(self, create, extracted, **kwargs):
        if create and extracted:
            self.estates.set(extracted)
