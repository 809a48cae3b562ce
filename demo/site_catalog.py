"""What the replica publishes: three government sites built from the seeds,
with every bad case a real site throws at the crawler.

- 焦作市中站区 (Hanweb layout): budgets and final accounts of two
  departments over 2022–2024, a ZIP of two 单位预算, a GBK file name sent in
  ``Content-Disposition``, a broken attachment link, a slow article, and two
  notices that are not ours (annual report, government-level account).
- 新乡市 (TRS layout, two list pages): final accounts 2022–2023, a budget,
  a page whose body is the disclosure (HTML table), an HTML error page
  served as ``.pdf``, and a performance report that is not ours.
- 新乡市财政局 (TRS, three ``.shtml`` list pages paginated only by a
  ``createPageHTML`` script): departments' budgets and accounts, three of
  them behind generic titles (部门预算公开) and links (附件下载 / 点击下载)
  whose file names alone carry department and year (UTF-8 and GBK
  percent-encoded URLs, ``Content-Disposition``), and an attachment caught
  in a redirect loop.
- 偃师区 (plain list, two pages): not in the default registry; tests add it
  at run time.

Attachments live on the second host name.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from demo.site_files import ERROR_PAGE, DocSpec, render_disclosure, zip_of
from demo.site_pages import Article, Attachment, Section, article_path

__all__ = ["build_sections", "pdf_attachment", "ZHONGZHAN", "XINXIANG", "CZJ", "YANSHI", "CZJ_DEPARTMENTS"]

ZHONGZHAN = "zhongzhan"
XINXIANG = "xinxiang"
CZJ = "czj"
YANSHI = "yanshi"
CZJ_DEPARTMENTS = (
    "新乡市教育局",
    "新乡市民政局",
    "新乡市水利局",
    "新乡市交通运输局",
    "新乡市生态环境局",
    "新乡市农业农村局",
    "新乡市卫生健康委员会",
    "新乡市自然资源和规划局",
    "新乡市文化广电和旅游局",
)

ZZ_ZWFW = "焦作市中站区政务服务和大数据管理局"
ZZ_PARTY = "中国共产党焦作市中站区委员会"
XX_ZWFW = "新乡市政务服务和大数据管理局"
YS_ZWFW = "洛阳市偃师区政务服务和大数据管理局"

HTML_TABLE = (
    "<table border='1'><tr><th>项目</th><th>2024年预算数</th><th>2023年预算数</th></tr>"
    "<tr><td>合计</td><td>12.50</td><td>13.80</td></tr>"
    "<tr><td>因公出国（境）费</td><td>0.00</td><td>0.00</td></tr>"
    "<tr><td>公务用车购置及运行维护费</td><td>8.30</td><td>9.10</td></tr>"
    "<tr><td>公务接待费</td><td>4.20</td><td>4.70</td></tr></table>"
)


def pdf_attachment(files_base: str, folder: str, spec: DocSpec, text: str | None = None) -> Attachment:
    name = f"{spec.title}.pdf"
    return Attachment(text or name, f"{files_base}/files/{folder}/{quote(name)}", render_disclosure(spec), spec=spec)


def _zhongzhan(files: str) -> Section:
    section = Section(ZHONGZHAN, "焦作市中站区人民政府 部门预决算", "hanweb", "/col/col1001/index.html", [], per_page=5)

    def art(n: int, title: str, day: date, attachments: list[Attachment], **extra: object) -> Article:
        return Article(title, day, article_path(section, day, n), attachments, **extra)  # type: ignore[arg-type]

    party_2023 = DocSpec(ZZ_PARTY, "决算", 2023)
    gbk_name = f"{party_2023.title}.pdf".encode("gbk")
    units = {
        "焦作市政务大数据中心2024年度单位预算.pdf": render_disclosure(DocSpec("焦作市政务大数据中心", "预算", 2024, "单位")),
        "焦作市中站区政务服务中心2024年度单位预算.pdf": render_disclosure(
            DocSpec("焦作市中站区政务服务中心", "预算", 2024, "单位")
        ),
    }
    section.articles = [
            art(9, "2024年度中国共产党焦作市中站区委员会部门预算公开", date(2024, 2, 26), [], delay=4.0),
            art(8, "2024年度焦作市中站区政务服务和大数据管理局所属单位预算公开", date(2024, 2, 22), [
                Attachment("2024年度所属单位预算（压缩包）.zip", f"{files}/files/zz/units2024.zip", zip_of(units), "application/zip"),
            ]),
            art(7, "2024年度焦作市中站区政务服务和大数据管理局部门预算公开", date(2024, 2, 20), [
                pdf_attachment(files, "zz", DocSpec(ZZ_ZWFW, "预算", 2024)),
            ]),
            art(6, "关于2023年度中站区本级决算的报告", date(2024, 8, 30), []),
            art(5, "2023年政府信息公开工作年度报告", date(2024, 1, 30), []),
            art(4, "2023年度焦作市中站区政务服务和大数据管理局部门决算", date(2024, 9, 20), [
                pdf_attachment(files, "zz", DocSpec(ZZ_ZWFW, "决算", 2023)),
            ]),
            art(3, "2023年度中国共产党焦作市中站区委员会部门决算", date(2024, 9, 25), [
                Attachment(
                    f"{party_2023.title}.pdf",
                    f"{files}/module/download/downfile.jsp?classid=0&filename=2409251030.pdf",
                    render_disclosure(party_2023),
                    disposition=b'attachment; filename="' + gbk_name + b'"',
                ),
            ]),
            art(2, "2022年度中国共产党焦作市中站区委员会部门决算", date(2023, 9, 22), [
                pdf_attachment(files, "zz", DocSpec(ZZ_PARTY, "决算", 2022)),
                Attachment("2022年度部门决算公开说明.pdf", f"{files}/files/zz/missing-2022.pdf", None),
            ]),
    ]
    return section


def _xinxiang(files: str) -> Section:
    section = Section(XINXIANG, "新乡市财政预决算公开", "trs", "/zwgk/czyjs/index.html", [], per_page=4)

    def art(n: int, title: str, day: date, attachments: list[Attachment], **extra: object) -> Article:
        return Article(title, day, article_path(section, day, n), attachments, **extra)  # type: ignore[arg-type]

    section.articles = [
            art(5006, "2024年度新乡市政务服务和大数据管理局部门预算", date(2024, 2, 28), [
                pdf_attachment(files, "xx", DocSpec(XX_ZWFW, "预算", 2024)),
            ]),
            art(5005, "2023年度新乡市政务服务和大数据管理局部门整体支出绩效评价报告", date(2024, 10, 12), []),
            art(5004, "2023年度新乡市政务服务和大数据管理局部门决算", date(2024, 9, 20), [
                pdf_attachment(files, "xx", DocSpec(XX_ZWFW, "决算", 2023)),
            ]),
            art(5003, "2023年度新乡市财政局部门决算", date(2024, 9, 18), [
                Attachment("2023年度新乡市财政局部门决算.pdf", f"{files}/files/xx/P020240918_busy.pdf", ERROR_PAGE),
            ]),
            art(5002, "2024年度新乡市机关事务服务中心单位预算三公经费公开", date(2024, 3, 1), [],
                body_html=HTML_TABLE),
            art(5001, "2022年度新乡市政务服务和大数据管理局部门决算", date(2023, 9, 15), [
                pdf_attachment(files, "xx", DocSpec(XX_ZWFW, "决算", 2022)),
            ]),
    ]
    return section


def _czj(files: str) -> Section:
    """Nine disclosures over three list pages linked only by createPageHTML."""
    section = Section(CZJ, "新乡市财政局 部门预算", "trs", "/czj/yjsgk/index.shtml", [], per_page=4, pager="script")
    articles = []
    for n, department in enumerate(CZJ_DEPARTMENTS):
        spec = DocSpec(department, "预算" if n % 3 else "决算", 2024 if n % 2 else 2023)
        day = date(spec.year + (spec.kind == "决算"), 3 if spec.kind == "预算" else 9, 1 + n)
        name = f"{spec.title}.pdf"
        if n == 0:  # generic title and link; UTF-8 file name in the URL
            title, attachment = f"部门{spec.kind}公开", Attachment("附件下载", f"{files}/files/czj/{quote(name)}", render_disclosure(spec), spec=spec)
        elif n == 1:  # GBK percent-encoded file name
            title, attachment = f"部门{spec.kind}公开", Attachment("点击下载", f"{files}/files/czj/{quote(name.encode('gbk'))}", render_disclosure(spec), spec=spec)
        elif n == 2:  # the name only in Content-Disposition (RFC 5987)
            disposition = f"attachment; filename*=UTF-8''{quote(name)}".encode()
            url = f"{files}/module/download/downfile.jsp?classid=0&filename=czj{n}.pdf"
            title, attachment = f"部门{spec.kind}公开", Attachment("点击下载", url, render_disclosure(spec), disposition=disposition, spec=spec)
        else:
            title, attachment = f"{spec.year}年度{department}{spec.scope}{spec.kind}", pdf_attachment(files, "czj", spec)
        articles.append(Article(title, day, article_path(section, day, 7000 + n), [attachment]))
    loop = Attachment("新乡市审计局2024年度部门预算.pdf", f"{files}/files/czj/loop.pdf", b"", redirect_loop=True)
    articles.append(Article("2024年度新乡市审计局部门预算", date(2024, 3, 20), article_path(section, date(2024, 3, 20), 7100), [loop]))
    section.articles = sorted(articles, key=lambda a: a.published, reverse=True)
    return section


def _yanshi(files: str) -> Section:
    section = Section(YANSHI, "洛阳市偃师区预决算公开", "plain", "/yanshi/ysgk/list.html", [], per_page=2)

    def art(n: int, title: str, day: date, spec: DocSpec) -> Article:
        return Article(title, day, article_path(section, day, n), [pdf_attachment(files, "ys", spec)])

    section.articles = [
            art(3, "2023年度洛阳市偃师区政务服务和大数据管理局部门决算公开", date(2024, 10, 8), DocSpec(YS_ZWFW, "决算", 2023)),
            art(2, "2024年度洛阳市偃师区政务服务和大数据管理局部门预算公开", date(2024, 2, 21), DocSpec(YS_ZWFW, "预算", 2024)),
            art(1, "2022年度洛阳市偃师区政务服务和大数据管理局部门决算公开", date(2023, 9, 28), DocSpec(YS_ZWFW, "决算", 2022)),
    ]
    return section


def build_sections(files_base: str) -> dict[str, Section]:
    """The replica's sections, attachments linked on ``files_base``."""
    return {s.id: s for s in (_zhongzhan(files_base), _xinxiang(files_base), _czj(files_base), _yanshi(files_base))}
