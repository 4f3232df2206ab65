from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


def paginate(queryset, request, per_page=25, count=None):
    """A page of ``queryset`` for a server-rendered list: one COUNT (none when ``count`` is
    given) and one page of rows, whatever ``?hal=`` says, with the page links of
    ``includes/pagination.html``."""
    from django.core.paginator import Paginator

    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: the caller already counted
    page = paginator.get_page(request.GET.get("hal"))
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
