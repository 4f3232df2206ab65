"""The dokumen evaluasi kinerja of an SKP (PermenPANRB 6/2022 layout, A4) as PDF, by WeasyPrint.

The HTML is built first (``dokumen_html``) so what the document says can be checked without
reading a PDF; ``render_pdf`` turns it into bytes, fetching nothing from outside.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from .models import PANDUAN_BERAKHLAK, BerAKHLAK, EvaluasiPeriodik, Rating, Realisasi
from .selectors import capaian_organisasi, rencana_groups


def dokumen_context(skp):
    periode = skp.periode
    rows = list(skp.rencana.prefetch_related(Prefetch("realisasi", queryset=Realisasi.objects.order_by("periode_ke"))))
    for row in rows:
        row.realisasi_list = [{"label": periode.label_periodik(r.periode_ke), "row": r} for r in row.realisasi.all()]
    evaluasi = [
        {"label": periode.label_periodik(e.periode_ke), "row": e}
        for e in EvaluasiPeriodik.objects.filter(penilaian=skp).order_by("periode_ke")
    ]
    berakhlak = []
    for kode, label in BerAKHLAK.choices:
        rating = skp.rating_berakhlak.get(kode)
        berakhlak.append(
            {
                "label": label,
                "panduan": PANDUAN_BERAKHLAK[kode],
                "ekspektasi": skp.ekspektasi_khusus.get(kode, ""),
                "rating": Rating(rating).label if rating in Rating.values else "",
            }
        )
    return {
        "skp": skp,
        "periode": periode,
        "sections": rencana_groups(skp, rows),
        "berakhlak": berakhlak,
        "evaluasi": evaluasi,
        "capaian": capaian_organisasi(skp),
        "tanggal": timezone.localdate(),
        "instansi": periode.instansi.nama,
    }


def dokumen_html(skp):
    return render_to_string("penilaian/dokumen_pdf.html", dokumen_context(skp))


def render_pdf(html):
    """PDF bytes of ``html``; only data: URLs may be fetched (the document needs nothing else)."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf()
