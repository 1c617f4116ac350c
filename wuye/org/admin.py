from django.contrib import admin

from wuye.core.admin import BaseAdmin

from .models import Acknowledgement, Company, Department, DepartmentInterface, JobStandard, Post, Staff


@admin.register(Company)
class CompanyAdmin(BaseAdmin):
    list_display = ("name", "short_name", "phone")


@admin.register(Department)
class DepartmentAdmin(BaseAdmin):
    list_display = ("name", "code", "company", "is_active")
    search_fields = ("name", "code")


@admin.register(DepartmentInterface)
class DepartmentInterfaceAdmin(BaseAdmin):
    list_display = ("department", "counterpart", "subject")


@admin.register(Post)
class PostAdmin(BaseAdmin):
    list_display = ("name", "department", "headcount", "is_active")


@admin.register(JobStandard)
class JobStandardAdmin(BaseAdmin):
    list_display = ("post", "version", "status", "effective_from")
    readonly_fields = ("version", "status", "effective_from", "approved_by")


@admin.register(Staff)
class StaffAdmin(BaseAdmin):
    list_display = ("employee_no", "name", "department", "post", "mobile", "status")
    search_fields = ("name", "employee_no")


@admin.register(Acknowledgement)
class AcknowledgementAdmin(BaseAdmin):
    list_display = ("staff", "content_type", "object_id", "acknowledged_at")
