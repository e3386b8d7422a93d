"""References between resources and the layered layout of the resource graph."""

from __future__ import annotations

from mlprov.reports.graph import GAP_X, MARGIN, NODE_H, edges_of, layout
from mlprov.reports.intrinsics import references, short

from tests.reports.support import ENTERPRISE, STARTER, template


def test_references_cover_ref_getatt_both_forms_and_sub_variables() -> None:
    value = {"A": [{"Ref": "Bucket"}, {"Fn::GetAtt": ["Key", "Arn"]}, {"Fn::GetAtt": "Role.Arn"}],
             "B": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/${Topic.TopicName}"},
             "C": {"Fn::Sub": ["${Local}-${Group}", {"Local": {"Ref": "Param"}}]}}
    assert references(value) == [("Bucket", "Ref"), ("Key", "GetAtt"), ("Role", "GetAtt"), ("AWS::Partition", "Sub"),
                                 ("Bucket", "Sub"), ("Topic", "Sub"), ("Group", "Sub"), ("Param", "Ref")]


def test_short_forms() -> None:
    assert short({"Ref": "KmsKey"}) == "Ref KmsKey"
    assert short({"Fn::GetAtt": ["KmsKey", "Arn"]}) == "KmsKey.Arn"
    assert short({"Fn::Sub": "${AWS::StackName}-x"}) == "${AWS::StackName}-x"
    assert short(True) == "true" and short(None) == "" and short(731) == "731"
    assert short([{"Ref": "A"}, "b"]) == "Ref A, b"
    assert short({"Fn::Join": ["", ["a", "b"]]}) == '{"Fn::Join": ["", ["a", "b"]]}'


def test_edges_merge_kinds_and_ignore_parameters_pseudo_and_self() -> None:
    t = {"Resources": {
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": {"Fn::Sub": "${AWS::StackName} ${Key}"}}},
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"K": {"Fn::GetAtt": ["Key", "Arn"]}, "R": {"Ref": "Key"},
                                                             "P": {"Ref": "SomeParameter"}}},
    }}
    [edge] = edges_of(t)
    assert (edge.source, edge.target, edge.kinds, edge.kind) == ("Bucket", "Key", ["GetAtt", "Ref"], "GetAtt")


def test_layers_put_every_resource_right_of_what_it_references() -> None:
    g = layout(template(ENTERPRISE))
    nodes = {n.id: n for n in g.nodes}
    assert len(nodes) == 47 and g.layers == 6  # the boundary names the build group, which egresses to the endpoint group
    for e in g.edges:
        assert nodes[e.source].layer > nodes[e.target].layer, e
        assert nodes[e.source].x > nodes[e.target].x
    assert nodes["KmsKey"].layer == 0 and nodes["BuildProject"].layer == 4 and nodes["BuildPipeline"].layer == g.layers - 1
    for n in g.nodes:  # every box inside the picture, none overlapping in its column
        assert n.x >= MARGIN and n.x + g.node_w <= g.width - MARGIN + 1
        assert n.y >= MARGIN and n.y + NODE_H <= g.height - MARGIN + 1
    columns: dict[int, list[int]] = {}
    for n in g.nodes:
        columns.setdefault(n.x, []).append(n.y)
    assert all(len(ys) == len(set(ys)) for ys in columns.values())
    assert sorted(columns) == [MARGIN + i * (g.node_w + GAP_X) for i in range(g.layers)]


def test_starter_graph_is_small_and_labels_fit() -> None:
    g = layout(template(STARTER))
    assert (len(g.nodes), len(g.edges), g.layers) == (16, 14, 3)
    assert g.node_w >= 7 * max(len(n.id) for n in g.nodes) + 24
    assert g.services == ["CodeBuild", "CodeCommit", "CodePipeline", "Events", "IAM", "SSM", "SageMaker"]


def test_a_cycle_does_not_hang_the_layout() -> None:
    t = {"Resources": {"A": {"Type": "AWS::X::A", "Properties": {"P": {"Ref": "B"}}},
                       "B": {"Type": "AWS::X::B", "Properties": {"P": {"Ref": "A"}}}}}
    g = layout(t)
    assert {n.id for n in g.nodes} == {"A", "B"} and len(g.edges) == 2


def test_empty_template() -> None:
    g = layout({"Resources": {}})
    assert (g.nodes, g.edges, g.layers, g.width) == ([], [], 0, 2 * MARGIN)


def test_arrows_spanning_layers_pass_between_the_boxes_never_behind_one() -> None:
    for name in (STARTER, ENTERPRISE):
        g = layout(template(name))
        nodes = {n.id: n for n in g.nodes}
        boxes: dict[int, list[int]] = {}
        for n in g.nodes:
            boxes.setdefault(n.x, []).append(n.y)
        long_edges = 0
        for e in g.edges:
            span = nodes[e.source].layer - nodes[e.target].layer
            assert len(e.points) == 2 * span  # source side, two points per layer passed, target side
            assert e.points[0] == (nodes[e.source].x, nodes[e.source].y + NODE_H // 2)
            assert e.points[-1] == (nodes[e.target].x + g.node_w, nodes[e.target].y + NODE_H // 2)
            for (xa, ya), (xb, yb) in zip(e.points[1:-1:2], e.points[2:-1:2], strict=True):
                long_edges += 1
                assert ya == yb and xa - xb == g.node_w and xb in boxes
                assert all(not (y - 1 <= ya <= y + NODE_H + 1) for y in boxes[xb]), (e, ya)
            assert e.path.startswith(f"M{e.points[0][0]},{e.points[0][1]} C")
            assert e.path.endswith(f"{e.points[-1][0] + 6},{e.points[-1][1]}")
        assert long_edges > 0 or name == STARTER
