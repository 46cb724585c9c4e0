"""plan_tags: the tag plan shared by the modules, and TagPlan.apply."""
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import TagPlan
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags


def test_none_wanted_leaves_tags() -> None:
    plan = plan_tags({"a": "1"}, None, purge=True)
    assert not plan.changed and plan.after == {"a": "1"}


def test_purge_removes_unwanted_and_sets_new() -> None:
    plan = plan_tags({"a": "1", "b": "2"}, {"a": "9", "c": "3"}, purge=True)
    assert plan.to_set == {"a": "9", "c": "3"}
    assert sorted(plan.to_remove) == ["b"]
    assert plan.after == {"a": "9", "c": "3"}


def test_without_purge_keeps_others() -> None:
    plan = plan_tags({"a": "1", "b": "2"}, {"c": "3"}, purge=False)
    assert plan.to_remove == [] and plan.after == {"a": "1", "b": "2", "c": "3"}


def test_same_tags_is_no_change() -> None:
    assert not plan_tags({"a": "1"}, {"a": "1"}, purge=True).changed


def applied(plan: TagPlan) -> list[tuple[str, object]]:
    """The calls ``plan.apply`` makes, in order."""
    calls: list[tuple[str, object]] = []
    plan.apply(lambda keys: calls.append(("untag", keys)), lambda tags: calls.append(("tag", tags)))
    return calls


def test_apply_untags_before_tagging() -> None:
    assert applied(plan_tags({"a": "1", "b": "2"}, {"a": "9"}, purge=True)) == [("untag", ["b"]), ("tag", {"a": "9"})]


def test_apply_makes_no_call_for_an_empty_side() -> None:
    assert applied(plan_tags({"a": "1"}, {"a": "1", "c": "3"}, purge=True)) == [("tag", {"c": "3"})]
    assert applied(plan_tags({"a": "1", "b": "2"}, {"a": "1"}, purge=True)) == [("untag", ["b"])]
    assert applied(plan_tags({"a": "1"}, {"a": "1"}, purge=True)) == []
