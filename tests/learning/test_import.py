"""Question bank import from Excel: all or nothing, every bad row named."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditEntry
from dangjian.learning import questions_io
from dangjian.learning.models import Question, QuestionBank
from tests.learning.helpers import good_rows, question_sheet


def _bank(world):
    return QuestionBank.all_objects.create(org=world.branch_a, name="党章题库")


def test_a_100_question_bank_imports(world):
    bank = _bank(world)
    result = questions_io.import_xlsx(actor=world.secretary, bank=bank, upload=question_sheet(good_rows(100)))
    assert result.ok, result.errors
    assert result.created == 100
    questions = list(Question.all_objects.filter(bank=bank))
    assert len(questions) == 100
    kinds = {q.kind for q in questions}
    assert kinds == {"single", "multiple", "true_false", "fill"}
    multi = next(q for q in questions if q.kind == "multiple")
    assert multi.answer == "ACE" and len(multi.options) == 5
    assert next(q for q in questions if q.kind == "true_false").answer == "T"
    assert next(q for q in questions if q.kind == "fill").topic == "综合"
    assert AuditEntry.objects.filter(action="import", model="learning.QuestionBank").count() == 1


def test_one_bad_row_imports_nothing_and_names_the_row(world):
    bank = _bank(world)
    rows = good_rows(100)
    rows[41] = ["单选题", "党章", "一道坏题", "甲", "乙", "", "", "", "", "C", ""]  # answer C: no option C
    result = questions_io.import_xlsx(actor=world.secretary, bank=bank, upload=question_sheet(rows))
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(43, "答案")]  # header is row 1
    assert Question.all_objects.filter(bank=bank).count() == 0


def test_every_kind_of_mistake_is_reported_per_row(world):
    bank = _bank(world)
    rows = [
        ["问答题", "", "题1", "", "", "", "", "", "", "x", ""],
        ["单选题", "", "", "甲", "乙", "", "", "", "", "A", ""],
        ["单选题", "", "题3", "甲", "乙", "", "", "", "", "AB", ""],
        ["多选题", "", "题4", "甲", "乙", "丙", "", "", "", "A", ""],
        ["判断题", "", "题5", "", "", "", "", "", "", "也许", ""],
        ["填空题", "", "题6", "", "", "", "", "", "", "", ""],
        ["单选题", "", "题7", "甲", "", "丙", "", "", "", "A", ""],
        ["判断题", "", "题5", "", "", "", "", "", "", "对", ""],
    ]
    result = questions_io.import_xlsx(actor=world.secretary, bank=bank, upload=question_sheet(rows))
    assert [e.row for e in result.errors] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert "与第6行题干重复" in result.errors[-1].message
    assert all(e.message for e in result.errors)


def test_the_template_is_itself_importable(world):
    bank = _bank(world)
    upload = SimpleUploadedFile("模板.xlsx", questions_io.template_xlsx())
    header = [c.value for c in next(load_workbook(upload).worksheets[0].iter_rows(max_row=1))]
    assert header == [label for _k, label in questions_io.COLUMNS]
    upload.seek(0)
    result = questions_io.import_xlsx(actor=world.secretary, bank=bank, upload=upload)
    assert result.ok and result.created == len(questions_io.EXAMPLES)


def test_the_import_page_lists_errors_and_writes_nothing(world, login):
    bank = _bank(world)
    rows = good_rows(5)
    rows[2][9] = ""
    sheet = question_sheet(rows)
    upload = SimpleUploadedFile("题库.xlsx", sheet.getvalue())
    response = login(world.secretary).post(reverse("learning:bank_import", args=[bank.pk]), {"file": upload})
    assert response.status_code == 400
    assert "第4行" in response.content.decode()
    assert Question.all_objects.filter(bank=bank).count() == 0


def test_the_import_page_refuses_a_file_that_is_not_excel(world, login):
    bank = _bank(world)
    upload = SimpleUploadedFile("题库.xlsx", b"MZ\x90\x00 not excel")
    response = login(world.secretary).post(reverse("learning:bank_import", args=[bank.pk]), {"file": upload})
    assert response.status_code == 400
    assert Question.all_objects.filter(bank=bank).count() == 0


def test_a_clean_file_through_the_page(world, login):
    bank = _bank(world)
    upload = SimpleUploadedFile("题库.xlsx", question_sheet(good_rows(8)).getvalue())
    response = login(world.secretary).post(reverse("learning:bank_import", args=[bank.pk]), {"file": upload})
    assert response.status_code == 302
    assert Question.all_objects.filter(bank=bank).count() == 8
