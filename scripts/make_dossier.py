#!/usr/bin/env python3
"""Write a complete, valid, fictional safe-community dossier (清溪街道) following FORMAT.md.

Why this exists: the repository root carries an example dossier that the tool builds by default, and
benchmarks need the same dossier at much larger sizes (10 years, 50,000 injury records a year, 2,000
evidence files). Everything here is derived from one `random.Random(seed)`; no wall-clock, no hash
randomisation, no unordered iteration, so the same arguments always give byte-identical files.

Usage:
    python scripts/make_dossier.py OUT_DIR [--years N] [--end-year Y] [--injuries-per-year M]
                                           [--evidence K] [--seed S] [--plain-tables]

Layout written into OUT_DIR (only these paths are removed/overwritten, nothing else is touched):
    mkdocs.yml, dossier/community.yml, dossier/NN-slug.yml (12), dossier/pages/{work-report,
    self-assessment}.md, data/<table>.csv|.xlsx, evidence/NN-slug/...
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import random
import shutil
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

# --------------------------------------------------------------------------------------------
# Constants of the fictional community and the format (FORMAT.md / DOMAIN.md)
# --------------------------------------------------------------------------------------------

COMMUNITY_NAME = "清溪街道"
OFFICE_NAME = "清溪街道安全社区促进委员会办公室"
COMMITTEE_NAME = "清溪街道安全社区促进委员会"

# Slugs are the contract of FORMAT.md: file dossier/NN-slug.yml and evidence/NN-slug/.
ELEMENTS: tuple[tuple[int, str, str], ...] = (
    (1, "organisation", "安全社区建设机构与职责"),
    (2, "participation", "信息交流和全员参与"),
    (3, "risk", "事故与伤害风险辨识及其评价"),
    (4, "goals", "事故与伤害预防目标及计划"),
    (5, "projects", "安全促进项目"),
    (6, "training", "宣传教育与培训"),
    (7, "emergency", "应急预案和响应"),
    (8, "monitoring", "监测与监督"),
    (9, "records", "事故与伤害记录"),
    (10, "archive", "安全社区建设档案"),
    (11, "corrective", "预防与纠正措施"),
    (12, "review", "评审与持续改进"),
)
SLUG = {n: f"{n:02d}-{s}" for n, s, _ in ELEMENTS}
ELEMENT_LABEL = {n: label for n, _, label in ELEMENTS}

# Column keys and Chinese labels, in FORMAT.md order (labels are used for "office" headers).
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "population": (("year", "年份"), ("total", "总人口"), ("male", "男"), ("female", "女"),
                   ("age_0_14", "0-14岁"), ("age_15_59", "15-59岁"), ("age_60_plus", "60岁及以上")),
    "members": (("id", "编号"), ("name", "姓名"), ("organisation", "单位"), ("title", "职务"),
                ("role", "角色"), ("group", "所属机构"), ("since", "起始日期"), ("until", "终止日期")),
    "meetings": (("id", "编号"), ("date", "日期"), ("kind", "类型"), ("title", "主题"),
                 ("attendees", "参会人数"), ("evidence", "档案编号")),
    "hazards": (("id", "编号"), ("found", "发现日期"), ("location", "地点"), ("unit", "所属单元"),
                ("category", "类别"), ("description", "隐患描述"), ("level", "等级"),
                ("supervised", "挂牌督办"), ("measures", "整改措施"), ("responsible", "责任单位"),
                ("due", "整改期限"), ("closed", "销号日期")),
    "trainings": (("id", "编号"), ("date", "日期"), ("title", "主题"), ("kind", "形式"),
                  ("audience", "对象"), ("participants", "参加人数"), ("project", "项目编号"),
                  ("evidence", "档案编号")),
    "drills": (("id", "编号"), ("date", "日期"), ("plan", "预案编号"), ("scenario", "演练科目"),
               ("location", "地点"), ("participants", "参加人数"), ("evaluation", "评估结论"),
               ("evidence", "档案编号")),
    "inspections": (("id", "编号"), ("date", "日期"), ("kind", "类型"), ("target", "检查对象"),
                    ("inspector", "检查单位"), ("findings", "发现问题数"), ("hazards", "隐患编号"),
                    ("evidence", "档案编号")),
    "injuries": (("id", "编号"), ("date", "发生日期"), ("sex", "性别"), ("age", "年龄"),
                 ("occupation", "职业"), ("cause", "原因"), ("place", "地点"), ("activity", "活动"),
                 ("intent", "意图"), ("nature", "性质"), ("body_part", "部位"),
                 ("severity", "严重程度"), ("outcome", "结局"), ("unit", "所属单元"),
                 ("source", "报告来源"), ("name", "姓名"), ("id_number", "身份证号"),
                 ("phone", "电话")),
    "accidents": (("id", "编号"), ("date", "日期"), ("kind", "类型"), ("location", "地点"),
                  ("deaths", "死亡人数"), ("injured", "受伤人数"), ("loss", "直接经济损失(万元)"),
                  ("description", "经过")),
    "actions": (("id", "编号"), ("raised", "提出日期"), ("source", "来源"), ("issue", "问题"),
                ("action", "措施"), ("kind", "类型"), ("responsible", "责任单位"), ("due", "期限"),
                ("done", "完成日期"), ("verified", "验证结论"), ("hazard", "隐患编号")),
    "evidence": (("id", "编号"), ("title", "名称"), ("element", "要素"), ("date", "日期"),
                 ("file", "文件"), ("kind", "类别"), ("description", "说明")),
}

AREAS = ("交通安全", "消防安全", "工作场所安全", "家居安全", "老年人安全", "儿童安全", "学校安全",
         "公共场所安全", "体育运动安全", "涉水安全", "社会治安", "防灾减灾与环境安全")

UNITS: tuple[dict[str, Any], ...] = (
    {"id": "U01", "name": "清溪社区", "kind": "社区"},
    {"id": "U02", "name": "柳塘社区", "kind": "社区"},
    {"id": "U03", "name": "望江社区", "kind": "社区"},
    {"id": "U04", "name": "桂花社区", "kind": "社区"},
    {"id": "U05", "name": "新桥社区", "kind": "社区"},
    {"id": "U06", "name": "河埠社区", "kind": "社区"},
    {"id": "U07", "name": "临江市清溪中学", "kind": "学校"},
    {"id": "U08", "name": "清溪街道中心小学", "kind": "学校"},
    {"id": "U09", "name": "临江清溪纺织有限公司", "kind": "企业"},
    {"id": "U10", "name": "临江港联物流有限公司", "kind": "企业"},
)
COMMUNITY_UNITS = [u for u in UNITS if u["kind"] == "社区"]
SCHOOL_UNITS = [u for u in UNITS if u["kind"] == "学校"]
ENTERPRISE_UNITS = [u for u in UNITS if u["kind"] == "企业"]

# Work groups: (id, name, kind, area, leader organisation, leader title, duties).
GROUPS: tuple[tuple[str, str, str, str | None, str, str, str], ...] = (
    ("G01", "交通安全组", "专项", "交通安全", "临江市公安局交通警察大队清溪中队", "中队长",
     "负责道路交通安全促进项目，组织交通秩序整治和文明出行宣传。"),
    ("G02", "消防安全组", "专项", "消防安全", "清溪消防救援站", "站长",
     "负责消防安全促进项目，开展高层住宅、出租房和电动自行车火灾隐患整治。"),
    ("G03", "工作场所安全组", "专项", "工作场所安全", "街道应急管理办公室", "副主任",
     "负责辖区企业安全生产监管和小微企业安全生产标准化建设。"),
    ("G04", "居家安全组", "专项", "家居安全", "街道城市管理办公室", "主任",
     "负责居家安全促进项目，推动老旧小区燃气、用电和楼道安全改造。"),
    ("G05", "老年人安全组", "专项", "老年人安全", "街道社会事务办公室", "主任",
     "负责老年人防跌倒等安全促进项目，联系养老服务机构和家庭医生团队。"),
    ("G06", "儿童安全组", "专项", "儿童安全", "街道妇女联合会", "主席",
     "负责儿童伤害预防项目，开展家长安全教育和儿童活动场所安全检查。"),
    ("G07", "学校安全组", "专项", "学校安全", "临江市清溪中学", "校长",
     "负责校园安全和护学岗工作，组织学生安全教育和应急疏散演练。"),
    ("G08", "公共场所安全组", "专项", "公共场所安全", "清溪市场监督管理所", "所长",
     "负责农贸市场、商业综合体等人员密集场所的安全检查和整改督办。"),
    ("G09", "涉水安全组", "专项", "涉水安全", "街道农业农村和水利服务站", "站长",
     "负责清溪河沿岸防溺水设施建设、巡查和暑期防溺水宣传。"),
    ("G10", "防灾减灾组", "专项", "防灾减灾与环境安全", "街道城市建设办公室", "主任",
     "负责防汛防台、地质灾害防治和应急避难场所建设管理。"),
    ("G11", "宣传教育组", "非专项", None, "街道党工委宣传办公室", "主任",
     "负责安全社区宣传教育与培训的统筹，管理公众号、宣传栏等交流渠道。"),
    ("G12", "监督检查组", "非专项", None, "街道纪检监察工作委员会", "副书记",
     "负责对各工作组和项目实施情况进行监督检查，督办隐患整改和纠正措施。"),
    ("G13", "伤害统计与监测组", "非专项", None, "清溪街道社区卫生服务中心", "主任",
     "负责伤害监测数据的收集、录入、核对和统计分析，按季度编写伤害监测报告。"),
)

# Promotion projects: (id, name, area, short goal text, status, synthetic indicators).
# Indicators flagged "data:" are computed from the generated injury records so the dossier is
# internally consistent; the others follow a smooth path from baseline to target.
PROJECTS: tuple[dict[str, Any], ...] = (
    {"id": "P01", "name": "“文明骑行·平安出行”道路交通安全促进项目", "area": "交通安全",
     "targets": ["电动自行车骑行者、外卖快递从业人员", "清溪路、望江路沿线交通事故多发路口"],
     "objectives": ["道路交通伤害报告人次较基线下降15%", "电动自行车骑行者头盔佩戴率达到95%以上"],
     "interventions": ["事故多发路口增设减速带、隔离护栏和警示标志",
                       "交警、志愿者在早晚高峰开展头盔佩戴劝导",
                       "与外卖、快递站点签订交通安全承诺书并开展月度培训"],
     "indicators": [("data:traffic", "道路交通伤害报告人次", "人次"),
                    ("syn", "电动自行车头盔佩戴率", "%", 62.0, 95.0)]},
    {"id": "P02", "name": "电动自行车充电与高层住宅消防安全促进项目", "area": "消防安全",
     "targets": ["高层住宅和老旧小区居民", "群租房、沿街店铺经营者"],
     "objectives": ["火灾及火情警情起数较基线下降30%", "电动自行车集中充电设施小区覆盖率达到100%"],
     "interventions": ["建设电动自行车集中充电棚并安装电梯阻车装置",
                       "组建微型消防站，开展每月一次的防火巡查",
                       "开展“清楼道、通通道”专项整治"],
     "indicators": [("syn", "火灾及火情警情起数", "起", 13, 9),
                    ("syn", "集中充电设施小区覆盖率", "%", 45.0, 100.0)]},
    {"id": "P03", "name": "小微企业安全生产标准化促进项目", "area": "工作场所安全",
     "targets": ["辖区小微企业及其从业人员", "物流仓储、纺织加工作业场所"],
     "objectives": ["工作场所伤害报告人次下降20%", "企业员工三级安全教育覆盖率达到100%"],
     "interventions": ["聘请注册安全工程师对小微企业开展安全诊断",
                       "推行岗位安全操作卡和班前安全提醒",
                       "落实有限空间、叉车作业等高风险作业审批"],
     "indicators": [("data:work", "工作场所伤害报告人次", "人次"),
                    ("syn", "员工三级安全教育覆盖率", "%", 71.0, 100.0)]},
    {"id": "P04", "name": "居家安全“一键通”项目", "area": "家居安全",
     "targets": ["独居、空巢老人家庭", "老旧小区住户"],
     "objectives": ["居家伤害报告人次下降10%", "燃气报警器安装户数达到1500户"],
     "interventions": ["为独居老人安装一键呼叫终端和燃气泄漏报警器",
                       "组织物业和网格员开展入户安全检查",
                       "发放居家安全自查清单"],
     "indicators": [("data:home", "居家伤害报告人次", "人次"),
                    ("syn", "燃气报警器安装户数", "户", 320, 1500)]},
    {"id": "P05", "name": "老年人防跌倒促进项目", "area": "老年人安全",
     "targets": ["60岁及以上老年人，重点是独居和高龄老人", "老年活动中心、小区公共通道"],
     "objectives": ["60岁及以上老年人跌倒伤害发生率下降15%", "完成适老化改造400户"],
     "interventions": ["家庭医生团队开展跌倒风险评估和平衡能力训练",
                       "为高风险老人家庭安装扶手、防滑垫和夜灯",
                       "在小区台阶、坡道加装防滑条和扶手"],
     "indicators": [("data:elderly_falls", "60岁及以上跌倒伤害发生率", "‰"),
                    ("syn", "适老化改造户数", "户", 0, 400)]},
    {"id": "P06", "name": "儿童伤害预防项目", "area": "儿童安全",
     "targets": ["0-14岁儿童及其家长", "小区儿童游乐场所"],
     "objectives": ["0-14岁儿童伤害报告人次下降10%", "儿童游乐设施安全检查覆盖率100%"],
     "interventions": ["开展“安全家庭”亲子课堂", "每季度检查小区儿童游乐设施",
                       "为家长发放儿童防跌落、防烫伤、防溺水资料"],
     "indicators": [("data:children", "0-14岁儿童伤害报告人次", "人次"),
                    ("syn", "儿童游乐设施检查覆盖率", "%", 55.0, 100.0)]},
    {"id": "P07", "name": "校园护学岗与安全教育项目", "area": "学校安全",
     "targets": ["辖区中小学学生", "学校周边道路"],
     "objectives": ["上下学时段校门口交通秩序明显改善", "学生安全教育课时每学期不少于8课时"],
     "interventions": ["设立警校家联动护学岗", "开设安全教育课程并纳入学期考核",
                       "每学期开展应急疏散演练"],
     "indicators": [("syn", "护学岗上岗率", "%", 70.0, 100.0),
                    ("syn", "学生安全知识测试合格率", "%", 78.0, 95.0)],
     "status": "已完成"},
    {"id": "P08", "name": "农贸市场与商业综合体安全促进项目", "area": "公共场所安全",
     "targets": ["农贸市场、商业综合体经营者", "人员密集场所"],
     "objectives": ["人员密集场所重大隐患清零", "消防通道畅通率保持在98%以上"],
     "interventions": ["落实场所安全管理员制度", "开展节假日前联合检查",
                       "整治电线私拉乱接和占用消防通道"],
     "indicators": [("syn", "消防通道畅通率", "%", 86.0, 98.0),
                    ("syn", "场所安全管理员配备率", "%", 60.0, 100.0)],
     "status": "暂停"},
    {"id": "P09", "name": "清溪河防溺水项目", "area": "涉水安全",
     "targets": ["中小学生、外来务工人员子女", "清溪河及沿岸池塘"],
     "objectives": ["不发生儿童溺水死亡事件", "临水危险区域防护设施完好率100%"],
     "interventions": ["在临水危险区域设置护栏、警示牌和救生圈", "暑期组织志愿者巡河",
                       "开展防溺水“六不”宣传"],
     "indicators": [("data:drowning", "溺水伤害报告人次", "人次"),
                    ("syn", "临水防护设施完好率", "%", 72.0, 100.0)]},
    {"id": "P10", "name": "社区防汛防台与应急避难项目", "area": "防灾减灾与环境安全",
     "targets": ["低洼地段居民、地下车库", "应急避难场所"],
     "objectives": ["建成达标应急避难场所3处", "居民应急知识知晓率达到85%"],
     "interventions": ["完善防汛物资储备和地下车库挡水设施", "建设应急避难场所并设置标识",
                       "每年汛前开展防汛防台演练"],
     "indicators": [("syn", "达标应急避难场所", "处", 1, 3),
                    ("syn", "居民应急知识知晓率", "%", 58.0, 85.0)]},
)

# Emergency plans: (id, name, kind, scope, drill scenario, drill location).
PLANS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("YA01", "清溪街道突发事件总体应急预案", "总体预案", "街道辖区内各类突发事件",
     "突发事件综合应急演练", "清溪街道办事处"),
    ("YA02", "清溪街道防汛防台专项应急预案", "专项预案", "台风、暴雨、内涝等自然灾害",
     "防汛防台人员转移演练", "河埠社区"),
    ("YA03", "清溪街道火灾事故专项应急预案", "专项预案", "住宅、人员密集场所和企业火灾",
     "高层住宅火灾疏散演练", "望江社区"),
    ("YA04", "清溪街道燃气泄漏事故专项应急预案", "专项预案", "管道燃气和瓶装燃气泄漏事故",
     "燃气泄漏处置演练", "桂花社区"),
    ("YA05", "清溪街道突发公共卫生事件专项应急预案", "专项预案", "传染病疫情、群体性不明原因疾病",
     "突发公共卫生事件处置演练", "清溪街道社区卫生服务中心"),
    ("YA06", "高层住宅火灾现场处置方案", "现场处置方案", "辖区高层住宅小区",
     "微型消防站初期火灾扑救演练", "柳塘社区"),
    ("YA07", "清溪河溺水事件现场处置方案", "现场处置方案", "清溪河沿岸及周边水域",
     "溺水救援与心肺复苏演练", "清溪河滨河公园"),
    ("YA08", "校园突发事件现场处置方案", "现场处置方案", "辖区中小学、幼儿园",
     "校园地震应急疏散演练", "临江市清溪中学"),
)

# Monitoring network: (id, name, kind, reports).
NETWORK: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("N01", "临江市第三人民医院急诊科", "医院", ("伤害", "交通")),
    ("N02", "清溪街道社区卫生服务中心", "社区卫生服务中心", ("伤害",)),
    ("N03", "柳塘社区卫生服务站", "社区卫生服务中心", ("伤害",)),
    ("N04", "临江市公安局清溪派出所", "派出所", ("治安", "事故")),
    ("N05", "临江市公安局交通警察大队清溪中队", "交警", ("交通", "事故")),
    ("N06", "清溪消防救援站", "消防", ("火灾", "事故")),
    ("N07", "临江市清溪中学", "学校", ("伤害",)),
    ("N08", "临江清溪纺织有限公司", "企业", ("事故", "伤害")),
)
INJURY_SOURCES = (("N01", 55), ("N02", 30), ("N03", 15))

# --- injury code lists and conditional distributions (DOMAIN.md canonical values only) ------

AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (0, 4, 6), (5, 14, 10), (15, 24, 11), (25, 44, 24), (45, 59, 19),
    (60, 69, 14), (70, 79, 10), (80, 99, 6),
)

Weights = dict[str, float]

CAUSE_BY_CLASS: dict[str, Weights] = {
    "child": {"跌倒/坠落": 42, "钝器伤": 14, "动物伤": 10, "烧烫伤": 8, "刀/锐器伤": 6,
              "非机动车车祸": 5, "机动车车祸": 5, "中毒": 2, "窒息/悬吊": 1, "溺水": 1.2,
              "其他": 4.8, "不清楚": 1},
    "adult": {"机动车车祸": 22, "非机动车车祸": 20, "跌倒/坠落": 18, "刀/锐器伤": 13, "钝器伤": 11,
              "动物伤": 5, "烧烫伤": 3, "中毒": 1, "窒息/悬吊": 0.3, "溺水": 0.3, "火器伤": 0.1,
              "性侵犯": 0.2, "其他": 3.1, "不清楚": 1},
    "elder": {"跌倒/坠落": 56, "机动车车祸": 10, "非机动车车祸": 10, "钝器伤": 6, "刀/锐器伤": 5,
              "动物伤": 3, "烧烫伤": 3, "中毒": 1, "窒息/悬吊": 1, "溺水": 0.3, "其他": 3.7,
              "不清楚": 1},
}
SEX_BY_CLASS: dict[str, Weights] = {
    "child": {"男": 58, "女": 42}, "adult": {"男": 58, "女": 42}, "elder": {"男": 44, "女": 56},
}
OCCUPATION_BY_AGE: dict[str, Weights] = {
    "pre": {"学龄前儿童": 100},
    "stu": {"在校学生": 97, "其他": 3},
    "young": {"在校学生": 35, "商业和服务业人员": 20, "生产运输设备操作人员及有关人员": 15,
              "待业": 10, "办事人员和有关人员": 8, "其他": 7, "不清楚": 5},
    "work": {"商业和服务业人员": 22, "生产运输设备操作人员及有关人员": 20, "专业技术人员": 12,
             "办事人员和有关人员": 12, "家务": 10, "待业": 8, "农牧渔水利业生产人员": 4,
             "军人": 0.3, "其他": 8, "不清楚": 3.7},
    "old": {"离退休人员": 72, "家务": 14, "农牧渔水利业生产人员": 4, "商业和服务业人员": 3,
            "其他": 5, "不清楚": 2},
}
_TRAFFIC_PLACE = {"公路/街道": 92, "公共居住场所": 5, "其他": 3}
PLACE_BY_KEY: dict[str, Weights] = {
    "机动车车祸": _TRAFFIC_PLACE, "非机动车车祸": _TRAFFIC_PLACE,
    "跌倒/坠落|elder": {"家中": 55, "公共居住场所": 18, "公路/街道": 14, "贸易和服务场所": 5,
                      "学校与公共场所": 4, "其他": 4},
    "跌倒/坠落|child": {"家中": 38, "学校与公共场所": 30, "公共居住场所": 12, "体育和运动场所": 8,
                      "公路/街道": 7, "其他": 5},
    "跌倒/坠落|adult": {"家中": 28, "工业和建筑场所": 20, "公路/街道": 18, "公共居住场所": 12,
                      "体育和运动场所": 8, "贸易和服务场所": 8, "其他": 6},
    "刀/锐器伤": {"家中": 50, "工业和建筑场所": 20, "贸易和服务场所": 18, "公路/街道": 4, "其他": 8},
    "钝器伤": {"家中": 25, "工业和建筑场所": 28, "学校与公共场所": 12, "体育和运动场所": 10,
            "公路/街道": 10, "贸易和服务场所": 8, "其他": 7},
    "烧烫伤": {"家中": 78, "贸易和服务场所": 14, "工业和建筑场所": 5, "其他": 3},
    "动物伤": {"家中": 42, "公共居住场所": 38, "公路/街道": 12, "农场/农田": 3, "其他": 5},
    "溺水": {"其他": 55, "体育和运动场所": 30, "家中": 10, "不清楚": 5},
    "中毒": {"家中": 80, "工业和建筑场所": 8, "贸易和服务场所": 7, "其他": 5},
    "*": {"家中": 35, "公共居住场所": 15, "公路/街道": 15, "贸易和服务场所": 10, "工业和建筑场所": 10,
          "其他": 10, "不清楚": 5},
}
_TRAFFIC_ACTIVITY = {"驾乘交通工具": 70, "步行": 19, "休闲活动": 6, "工作": 4, "其他": 1}
ACTIVITY_BY_KEY: dict[str, Weights] = {
    "机动车车祸": _TRAFFIC_ACTIVITY, "非机动车车祸": _TRAFFIC_ACTIVITY,
    "跌倒/坠落|elder": {"休闲活动": 40, "家务": 22, "步行": 22, "生命活动": 12, "其他": 4},
    "跌倒/坠落|child": {"休闲活动": 50, "体育活动": 18, "学习": 14, "步行": 9, "生命活动": 5,
                      "其他": 4},
    "跌倒/坠落|adult": {"休闲活动": 33, "工作": 20, "步行": 18, "家务": 12, "体育活动": 11, "其他": 6},
    "刀/锐器伤": {"家务": 45, "工作": 35, "休闲活动": 12, "其他": 8},
    "钝器伤": {"休闲活动": 35, "工作": 30, "体育活动": 14, "家务": 11, "其他": 10},
    "烧烫伤": {"家务": 60, "生命活动": 15, "工作": 15, "其他": 10},
    "动物伤": {"休闲活动": 55, "步行": 25, "家务": 15, "其他": 5},
    "溺水": {"休闲活动": 60, "体育活动": 30, "其他": 10},
    "*": {"休闲活动": 45, "家务": 18, "工作": 17, "生命活动": 8, "其他": 8, "不清楚": 4},
}
_TRAFFIC_INTENT = {"非故意": 99.5, "故意(暴力、攻击)": 0.2, "不清楚": 0.3}
INTENT_BY_KEY: dict[str, Weights] = {
    "机动车车祸": _TRAFFIC_INTENT, "非机动车车祸": _TRAFFIC_INTENT,
    "刀/锐器伤": {"非故意": 84, "故意(暴力、攻击)": 13, "自残/自杀": 2, "不清楚": 1},
    "钝器伤": {"非故意": 82, "故意(暴力、攻击)": 16, "不清楚": 2},
    "中毒": {"非故意": 80, "自残/自杀": 17, "不清楚": 3},
    "窒息/悬吊": {"非故意": 70, "自残/自杀": 28, "不清楚": 2},
    "火器伤": {"故意(暴力、攻击)": 60, "非故意": 40},
    "性侵犯": {"故意(暴力、攻击)": 100},
    "跌倒/坠落": {"非故意": 99.3, "自残/自杀": 0.4, "不清楚": 0.3},
    "*": {"非故意": 98.5, "故意(暴力、攻击)": 0.7, "自残/自杀": 0.3, "不清楚": 0.5},
}
_TRAFFIC_NATURE = {"挫伤、擦伤": 45, "骨折": 20, "扭伤/拉伤": 10, "锐器伤、咬伤、开放伤": 10,
                   "脑震荡、脑挫裂伤": 10, "器官系统损伤": 5}
NATURE_BY_KEY: dict[str, Weights] = {
    "机动车车祸": _TRAFFIC_NATURE, "非机动车车祸": _TRAFFIC_NATURE,
    "跌倒/坠落": {"挫伤、擦伤": 40, "骨折": 28, "扭伤/拉伤": 20, "脑震荡、脑挫裂伤": 7,
              "锐器伤、咬伤、开放伤": 5},
    "刀/锐器伤": {"锐器伤、咬伤、开放伤": 95, "其他": 5},
    "动物伤": {"锐器伤、咬伤、开放伤": 90, "挫伤、擦伤": 10},
    "烧烫伤": {"烧烫伤": 100},
    "钝器伤": {"挫伤、擦伤": 70, "骨折": 15, "锐器伤、咬伤、开放伤": 10, "脑震荡、脑挫裂伤": 5},
    "中毒": {"器官系统损伤": 80, "其他": 20},
    "窒息/悬吊": {"器官系统损伤": 80, "其他": 20},
    "溺水": {"器官系统损伤": 85, "其他": 15},
    "*": {"挫伤、擦伤": 50, "其他": 40, "不清楚": 10},
}
_TRAFFIC_BODY = {"下肢": 25, "多部位": 25, "上肢": 20, "头部": 20, "躯干": 10}
BODY_BY_KEY: dict[str, Weights] = {
    "机动车车祸": _TRAFFIC_BODY, "非机动车车祸": _TRAFFIC_BODY,
    "跌倒/坠落": {"下肢": 35, "上肢": 25, "头部": 20, "躯干": 15, "多部位": 5},
    "刀/锐器伤": {"上肢": 80, "下肢": 10, "头部": 5, "躯干": 5},
    "动物伤": {"下肢": 50, "上肢": 45, "头部": 5},
    "烧烫伤": {"上肢": 50, "下肢": 25, "躯干": 10, "多部位": 10, "头部": 5},
    "中毒": {"全身广泛受伤": 80, "其他": 20},
    "溺水": {"全身广泛受伤": 90, "其他": 10},
    "窒息/悬吊": {"全身广泛受伤": 60, "头部": 30, "其他": 10},
    "*": {"上肢": 30, "头部": 20, "下肢": 20, "躯干": 15, "多部位": 5, "其他": 7, "不清楚": 3},
}
SEVERITY_BY_KEY: dict[str, Weights] = {
    "机动车车祸": {"轻度": 65, "中度": 28, "重度": 7},
    "非机动车车祸": {"轻度": 70, "中度": 25, "重度": 5},
    "跌倒/坠落|elder": {"轻度": 60, "中度": 31, "重度": 9},
    "溺水": {"轻度": 25, "中度": 30, "重度": 45},
    "中毒": {"轻度": 55, "中度": 35, "重度": 10},
    "窒息/悬吊": {"轻度": 30, "中度": 35, "重度": 35},
    "*": {"轻度": 78, "中度": 19, "重度": 3},
}
OUTCOME_BY_KEY: dict[str, Weights] = {
    "轻度": {"处理后离院": 95, "住院": 4, "转院": 0.8, "其他": 0.2},
    "中度": {"处理后离院": 52, "住院": 40, "转院": 7, "其他": 1},
    "重度": {"住院": 66, "转院": 24, "死亡": 8, "其他": 2},
}
# Where an injury "belongs": schools and enterprises for their places, else a residential unit.
UNIT_BY_PLACE: dict[str, Weights] = {
    "学校与公共场所": {"U07": 25, "U08": 20, "U01": 15, "U02": 10, "U03": 10, "U04": 8, "U05": 7,
                  "U06": 5},
    "工业和建筑场所": {"U09": 40, "U10": 30, "U01": 8, "U02": 6, "U03": 6, "U04": 4, "U05": 3,
                  "U06": 3},
    "*": {"U01": 22, "U02": 20, "U03": 18, "U04": 15, "U05": 14, "U06": 11},
}

# Fictitious people: common surnames and given-name characters (no real persons intended).
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
            "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛"
            "郝龚邵万钱严覃武戴莫孔向汤")
GIVEN_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊帆毅建国志海波晨旭林峰诚坤宏亮博文昊天瑞"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞玲婷雪慧莹琳颖倩洁燕萍红梅兰英秀佳欣怡婉悦晓思雨月丹蓉璐瑶琪嘉"
ID_REGIONS = ("330191", "330192", "330193", "330195", "330197")  # fictitious county codes
MOBILE_PREFIXES = tuple([f"13{d}" for d in range(10)] + [f"15{d}" for d in range(10) if d != 4]
                        + [f"18{d}" for d in range(10)])
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

FIXED_TIMESTAMP = datetime(2025, 12, 31, 12, 0, 0)  # xlsx properties and zip entries

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


class Prose(str):
    """A string written as a YAML literal block (`|`), so Markdown prose stays readable."""


class Flow(list):
    """A list written in YAML flow style (`[a, b]`), for short id lists."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents block sequences and knows Prose/Flow."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Dumper.add_representer(
    Prose, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", str(s), style="|"))
_Dumper.add_representer(
    Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", list(v), flow_style=True))


def cum(weights: Weights) -> tuple[list[str], list[float]]:
    """Values and cumulative weights, so bulk draws don't rebuild them per call."""
    return list(weights), list(itertools.accumulate(weights.values()))


def draw_keyed(rng: random.Random, keys: Sequence[str], tables: dict[str, Weights]) -> list[str]:
    """Draw one value per row from the distribution named by that row's key.

    Rows are grouped by key and each group is drawn with a single `rng.choices(k=n)` call; this
    is what keeps 500,000 rows fast. Keys are processed in sorted order for determinism.
    """
    out: list[str] = [""] * len(keys)
    groups: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    for k in sorted(groups):
        idx = groups[k]
        vals, cw = cum(tables[k])
        for i, v in zip(idx, rng.choices(vals, cum_weights=cw, k=len(idx)), strict=True):
            out[i] = v
    return out


def resolve(tables: dict[str, Weights], *candidates: str) -> str:
    """First candidate key present in a table, else the default `*`."""
    for c in candidates:
        if c in tables:
            return c
    return "*"


def age_class(age: int) -> str:
    """The three age groups of the statistics (0–14, 15–59, 60+)."""
    return "child" if age <= 14 else "adult" if age <= 59 else "elder"


def rand_date(rng: random.Random, year: int, m1: int = 1, m2: int = 12) -> date:
    """A uniformly random existing date in months m1..m2 of a year."""
    lo = date(year, m1, 1).toordinal()
    hi = (date(year + 1, 1, 1) if m2 == 12 else date(year, m2 + 1, 1)).toordinal() - 1
    return date.fromordinal(rng.randint(lo, hi))


def clamp(d: date, lo: date, hi: date) -> date:
    """Keep a date inside the cycle."""
    return max(lo, min(hi, d))


def replace_year(d: date, year: int) -> date:
    """Same month/day in another year; 29 February becomes 28 February."""
    try:
        return d.replace(year=year)
    except ValueError:
        return d.replace(year=year, day=28)


def cell(value: Any) -> str:
    """Render one CSV cell: dates ISO, lists `;`-joined, None empty."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def person_name(rng: random.Random, sex: str) -> str:
    """A fictitious Chinese name: surname plus one or two given-name characters."""
    pool = GIVEN_MALE if sex == "男" else GIVEN_FEMALE
    n = 2 if rng.random() < 0.7 else 1
    return rng.choice(SURNAMES) + "".join(rng.choice(pool) for _ in range(n))


# --------------------------------------------------------------------------------------------
# The generation context
# --------------------------------------------------------------------------------------------


@dataclass
class Ctx:
    """Everything generated so far; later tables reference ids made by earlier ones."""

    rng: random.Random
    years: list[int]
    office_quirks: bool
    evidence: list[dict[str, Any]] = field(default_factory=list)
    ev_by_element: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    ev_by_file: dict[str, str] = field(default_factory=dict)
    ev_cursor: Counter = field(default_factory=Counter)
    population: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    leaders: dict[str, str] = field(default_factory=dict)
    chair: str = ""
    director: str = ""
    injuries: dict[str, list[Any]] = field(default_factory=dict)
    projects: list[dict[str, Any]] = field(default_factory=list)
    hazards: list[dict[str, Any]] = field(default_factory=list)
    inspections: list[dict[str, Any]] = field(default_factory=list)
    accidents: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    trainings: list[dict[str, Any]] = field(default_factory=list)
    drills: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def start(self) -> date:
        return date(self.years[0], 1, 1)

    @property
    def end(self) -> date:
        return date(self.years[-1], 12, 31)

    @property
    def established(self) -> date:
        return date(self.years[0], 3, 10)

    def year_at(self, index: int) -> int:
        """A cycle year by position, clamped (so -1 is the last year even for short cycles)."""
        return self.years[max(-len(self.years), min(index, len(self.years) - 1))]

    def ev(self, element: int, year: int | None = None, k: int = 1) -> list[str]:
        """Up to k evidence ids of an element, preferring the given year, rotating fairly.

        Returns [] when the dossier has no evidence for that element (tiny --evidence values).
        """
        pool = self.ev_by_element.get(element, [])
        if year is not None:
            same = [e for e in pool if e["date"].year == year]
            pool = same or pool
        if not pool:
            return []
        key = (element, year)
        out = []
        for _ in range(min(k, len(pool))):
            out.append(pool[self.ev_cursor[key] % len(pool)]["id"])
            self.ev_cursor[key] += 1
        return sorted(set(out))

    def ev_file(self, file: str) -> list[str]:
        """The id of a named evidence file as a list ([] if it was not generated)."""
        return [self.ev_by_file[file]] if file in self.ev_by_file else []


# --------------------------------------------------------------------------------------------
# Evidence: the catalogue first (ids are referenced everywhere), files written at the end
# --------------------------------------------------------------------------------------------

# (element, file name, title, kind, year index, month, day, description)
CURATED_EVIDENCE: tuple[tuple[int, str, str, str, int, int, int, str], ...] = (
    (1, "committee-document.pdf", "关于成立清溪街道安全社区促进委员会的通知", "文件", 0, 3, 10,
     "街道办事处发文，明确委员会组成和职责"),
    (1, "committee-meeting.jpg", "安全社区促进委员会第一次全体会议", "照片", 0, 3, 10,
     "委员会成立暨第一次全体会议现场"),
    (1, "work-groups-duties.pdf", "各工作组职责分工及成员调整文件", "文件", 1, 1, 8,
     "年度成员调整后重新印发的职责分工"),
    (2, "volunteer-flag.jpg", "安全志愿者队伍授旗仪式", "照片", 0, 5, 20,
     "12支志愿者队伍授旗"),
    (2, "wechat-account.png", "“平安清溪”公众号安全专栏截图", "照片", 1, 6, 16,
     "公众号安全社区专栏页面"),
    (2, "partners-agreement.pdf", "安全社区共建单位合作协议", "文件", 0, 4, 18,
     "街道与辖区单位签订的共建协议"),
    (3, "diagnosis-report.pdf", "社区安全诊断报告", "报告", 0, 5, 30,
     "首次社区诊断，含问卷、访谈和伤害数据分析"),
    (3, "questionnaire-summary.pdf", "入户问卷调查汇总表", "表格", 0, 5, 12,
     "入户问卷结果汇总"),
    (3, "site-survey.jpg", "高风险环境现场查看", "照片", 1, 4, 22, "清溪河沿岸和老旧小区现场查看"),
    (4, "three-year-plan.pdf", "安全社区建设规划", "文件", 0, 6, 15, "周期规划及目标分解"),
    (4, "annual-plan.pdf", "年度安全社区工作计划", "文件", 1, 2, 20, "年度工作计划"),
    (4, "goals-table.pdf", "事故与伤害预防目标分解表", "表格", 0, 6, 15, "目标、指标和责任工作组"),
    (5, "fall-prevention.jpg", "老年人居家适老化改造", "照片", 1, 9, 12, "安装扶手和防滑设施"),
    (5, "helmet-campaign.jpg", "电动自行车头盔佩戴劝导", "照片", 0, 8, 3, "早高峰路口劝导"),
    (5, "project-evaluation.pdf", "安全促进项目效果评估报告", "报告", -1, 11, 28,
     "各项目指标基线、目标与实际值对比"),
    (6, "training-plan.pdf", "年度宣传教育培训计划", "文件", 0, 2, 25, "全年宣传培训安排"),
    (6, "fire-lecture.jpg", "消防安全知识讲座", "照片", 0, 11, 9, "11·9消防宣传日讲座"),
    (6, "knowledge-contest.jpg", "安全知识竞赛", "照片", 1, 6, 18, "安全生产月知识竞赛"),
    (7, "emergency-plan.pdf", "清溪街道突发事件总体应急预案", "文件", 0, 4, 28, "总体预案文本"),
    (7, "flood-drill.jpg", "防汛防台应急演练", "照片", 0, 6, 20, "汛前人员转移演练"),
    (7, "fire-drill.png", "高层住宅火灾疏散演练", "照片", 1, 11, 8, "居民疏散和初期火灾扑救"),
    (8, "inspection-record.pdf", "隐患排查记录表", "表格", 0, 9, 26, "国庆节前联合检查记录"),
    (8, "joint-inspection.jpg", "节前联合安全检查", "照片", 1, 1, 20, "春节前联合检查"),
    (8, "monitoring-report.pdf", "监测与监督工作报告", "报告", -1, 10, 30, "高风险场所监测情况"),
    (9, "injury-card.pdf", "伤害监测报告卡（样表）", "表格", 0, 4, 1, "全国伤害监测报告卡格式"),
    (9, "injury-analysis.pdf", "伤害监测数据分析报告", "报告", -1, 1, 10, "年度伤害数据分析"),
    (9, "hospital-liaison.jpg", "医院伤害监测点工作对接", "照片", 0, 4, 12, "监测点培训与对接"),
    (10, "archive-room.jpg", "安全社区档案室", "照片", 0, 7, 5, "档案柜和分类标识"),
    (10, "archive-catalogue.pdf", "安全社区建设档案目录", "表格", -1, 12, 15, "按十二要素编目"),
    (10, "archive-rules.pdf", "档案管理制度", "文件", 0, 7, 1, "档案收集、整理、借阅制度"),
    (11, "corrective-procedure.pdf", "预防与纠正措施管理程序", "文件", 0, 6, 1, "程序文件"),
    (11, "rectification.jpg", "隐患整改前后对比", "照片", 1, 8, 30, "楼道杂物清理前后对比"),
    (11, "actions-ledger.pdf", "预防与纠正措施台账", "表格", -1, 12, 20, "措施落实与验证情况"),
    (12, "self-assessment.pdf", "安全社区自评报告", "报告", -1, 9, 20, "对照评定标准逐项自评"),
    (12, "review-meeting.jpg", "年度评审会议", "照片", 0, 12, 8, "委员会年度评审会议"),
    (12, "third-party-report.pdf", "第三方评估报告", "报告", -1, 11, 25, "第三方机构评估意见"),
)
EXTRA_KINDS = (("jpg", "照片", "现场照片"), ("pdf", "文件", "工作文件"), ("png", "照片", "活动照片"),
               ("pdf", "表格", "记录表"), ("jpg", "照片", "活动照片"), ("pdf", "报告", "工作报告"))


def build_evidence(ctx: Ctx, count: int) -> None:
    """Choose `count` evidence items covering all twelve elements as evenly as possible.

    The first 36 are curated (three per element, with realistic titles); more are generic items
    spread round-robin over the elements and the cycle years.
    """
    rng = ctx.rng
    by_element: dict[int, list[tuple]] = {}
    for item in CURATED_EVIDENCE:
        by_element.setdefault(item[0], []).append(item)
    # Round-robin over elements so that a small count still covers as many elements as possible.
    order = [by_element[e][i] for i in range(3) for e in range(1, 13)]
    chosen: list[dict[str, Any]] = []
    for el, fname, title, kind, yi, m, d, desc in order[:count]:
        year = ctx.year_at(yi)
        if el == 4 and fname == "three-year-plan.pdf":
            title = f"{COMMUNITY_NAME}安全社区建设规划（{ctx.years[0]}—{ctx.years[-1]}年）"
        elif fname in ("diagnosis-report.pdf", "annual-plan.pdf", "training-plan.pdf",
                       "injury-analysis.pdf"):
            shown = year - 1 if fname == "injury-analysis.pdf" and year > ctx.years[0] else year
            title = f"{shown}年{title}"
        chosen.append({"title": title, "element": el, "date": date(year, m, d),
                       "file": f"{SLUG[el]}/{fname}", "kind": kind, "description": desc})
    for i in range(max(0, count - len(order))):
        el = i % 12 + 1
        year = ctx.years[(i // 12) % len(ctx.years)]
        ext, kind, word = EXTRA_KINDS[(i // 12 + el) % len(EXTRA_KINDS)]
        day = rand_date(rng, year)
        chosen.append({"title": f"{year}年{ELEMENT_LABEL[el]}{word}（{i // 12 + 1}）",
                       "element": el, "date": day,
                       "file": f"{SLUG[el]}/{year}-{i + 1:04d}.{ext}", "kind": kind,
                       "description": f"{ELEMENT_LABEL[el]}相关{word}，{day.month}月归档"})
    chosen.sort(key=lambda e: (e["element"], e["date"], e["file"]))
    width = max(3, len(str(len(chosen))))
    for n, e in enumerate(chosen, 1):
        e["id"] = f"E{n:0{width}d}"
        ctx.ev_by_element.setdefault(e["element"], []).append(e)
        ctx.ev_by_file[e["file"]] = e["id"]
    ctx.evidence = chosen


def minimal_pdf(lines: Sequence[str], rgb: tuple[float, float, float]) -> bytes:
    """A small valid one-page PDF (Helvetica, ASCII text, a coloured band), byte-stable.

    Hand-written rather than matplotlib: 2,000 of these must take well under a second.
    """
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = " ".join(f"({esc(line)}) Tj 0 -22 Td" for line in lines)
    stream = (f"{rgb[0]:.3f} {rgb[1]:.3f} {rgb[2]:.3f} rg 40 740 515 60 re f "
              f"0 0 0 rg BT /F1 16 Tf 50 700 Td {text} ET").encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def image_bytes(rng: random.Random, e: dict[str, Any], fmt: str) -> bytes:
    """A 200×150 picture with a few shapes and an ASCII caption, as PNG or JPEG bytes."""
    from PIL import Image, ImageDraw

    hue = (e["element"] * 37) % 255
    bg = (hue, 180 - e["element"] * 8, 255 - hue // 2)
    img = Image.new("RGB", (200, 150), bg)
    draw = ImageDraw.Draw(img)
    for _ in range(4):
        x, y = rng.randrange(0, 170), rng.randrange(20, 120)
        w, h = rng.randrange(15, 60), rng.randrange(10, 40)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        if rng.random() < 0.5:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
        else:
            draw.ellipse((x, y, x + w, y + h), fill=colour, outline=(0, 0, 0))
    draw.rectangle((0, 0, 200, 16), fill=(255, 255, 255))
    draw.text((4, 3), f"{e['id']}  {e['date'].isoformat()}", fill=(0, 0, 0))
    draw.text((4, 135), SLUG[e["element"]], fill=(255, 255, 255))
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.save(buf, format="JPEG", quality=85)
    else:
        img.save(buf, format="PNG")
    return buf.getvalue()


def write_evidence_files(ctx: Ctx, out: Path) -> None:
    """Write every catalogued file, drawing shapes from a child of the main rng."""
    rng = random.Random(ctx.rng.getrandbits(64))
    root = out / "evidence"
    for e in ctx.evidence:
        path = root / e["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            rgb = ((e["element"] * 0.07) % 1, 0.55, 0.6)
            lines = [f"Qingxi Subdistrict Safe Community Archive - {e['id']}",
                     f"Element {e['element']}: {SLUG[e['element']]}",
                     f"Date: {e['date'].isoformat()}",
                     f"File: {e['file']}"]
            data = minimal_pdf(lines, rgb)
        else:
            data = image_bytes(rng, e, "JPEG" if suffix in (".jpg", ".jpeg") else "PNG")
        path.write_bytes(data)


# --------------------------------------------------------------------------------------------
# Population, members, meetings
# --------------------------------------------------------------------------------------------


def build_population(ctx: Ctx, injuries_per_year: int) -> None:
    """~86,000 residents, slowly growing and ageing; scaled up for benchmark-sized injury counts
    so that injury rates stay plausible."""
    rng = ctx.rng
    base = 85_600 * max(1.0, injuries_per_year / 750)
    for i, year in enumerate(ctx.years):
        total = int(round(base * (1.006 ** i) + rng.randint(-150, 150)))
        male = int(round(total * (0.508 + rng.uniform(-0.002, 0.002))))
        a0 = int(round(total * (0.128 - 0.001 * i)))
        a60 = int(round(total * (0.208 + 0.006 * i)))
        ctx.population.append({"year": year, "total": total, "male": male, "female": total - male,
                               "age_0_14": a0, "age_15_59": total - a0 - a60, "age_60_plus": a60})


GROUP_MEMBER_ORGS: dict[str, tuple[str, ...]] = {
    "G01": ("街道城市管理办公室", "清溪社区居民委员会", "临江港联物流有限公司"),
    "G02": ("街道应急管理办公室", "望江社区居民委员会", "柳塘社区物业服务中心"),
    "G03": ("临江清溪纺织有限公司", "临江港联物流有限公司", "街道经济发展办公室"),
    "G04": ("桂花社区居民委员会", "新桥社区居民委员会", "街道城市管理办公室"),
    "G05": ("清溪街道社区卫生服务中心", "柳塘社区居民委员会", "清溪街道居家养老服务中心"),
    "G06": ("清溪街道中心小学", "河埠社区居民委员会", "清溪街道社区卫生服务中心"),
    "G07": ("清溪街道中心小学", "临江市清溪中学", "临江市公安局清溪派出所"),
    "G08": ("清溪农贸市场管理有限公司", "清溪消防救援站", "街道城市管理办公室"),
    "G09": ("河埠社区居民委员会", "清溪街道中心小学", "清溪蓝天救援志愿队"),
    "G10": ("街道应急管理办公室", "河埠社区居民委员会", "望江社区居民委员会"),
    "G11": ("街道党工委宣传办公室", "清溪街道中心小学", "清溪社区居民委员会"),
    "G12": ("街道党政综合办公室", "街道应急管理办公室", "清溪市场监督管理所"),
    "G13": ("临江市第三人民医院", "清溪街道社区卫生服务中心", "柳塘社区卫生服务站"),
}
COMMITTEE_SEATS: tuple[tuple[str, str, str], ...] = (
    ("主任", "清溪街道办事处", "主任"),
    ("副主任", "清溪街道党工委", "副书记"),
    ("副主任", "清溪街道办事处", "副主任（分管应急管理）"),
    ("委员", "临江市公安局清溪派出所", "所长"),
    ("委员", "临江市公安局交通警察大队清溪中队", "中队长"),
    ("委员", "清溪消防救援站", "站长"),
    ("委员", "清溪街道社区卫生服务中心", "主任"),
    ("委员", "临江市清溪中学", "校长"),
    ("委员", "街道应急管理办公室", "主任"),
    ("委员", "街道社会事务办公室", "主任"),
    ("委员", "临江清溪纺织有限公司", "安全总监"),
    ("委员", "清溪社区居民委员会", "党委书记"),
)


def build_members(ctx: Ctx) -> None:
    """Committee, office and group members, with yearly turnover.

    At each year end a few members leave (`until` = 31 Dec) and a successor with the same seat
    starts in early January, so membership visibly changes between years while every group keeps
    an active leader. The chair and the office director stay for the whole cycle.
    """
    rng = ctx.rng
    used: set[str] = set()

    def unique_name() -> str:
        while True:
            name = person_name(rng, rng.choice("男男女"))
            if name not in used and len(name) >= 2:
                used.add(name)
                return name

    seats: list[dict[str, Any]] = []
    for role, org, title in COMMITTEE_SEATS:
        seats.append({"organisation": org, "title": title, "role": role, "group": "committee"})
    seats.append({"organisation": "街道应急管理办公室", "title": "副主任", "role": "办公室主任",
                  "group": "office"})
    for org, title in (("街道应急管理办公室", "科员"), ("街道党政综合办公室", "档案管理员"),
                       ("清溪街道社区卫生服务中心", "公共卫生科科长")):
        seats.append({"organisation": org, "title": title, "role": "办公室成员", "group": "office"})
    for gid, _name, _kind, _area, lorg, ltitle, _duties in GROUPS:
        seats.append({"organisation": lorg, "title": ltitle, "role": "组长", "group": gid})
        orgs = GROUP_MEMBER_ORGS[gid]
        if gid in ("G01", "G02", "G05", "G13"):
            seats.append({"organisation": orgs[0], "title": "负责人", "role": "副组长",
                          "group": gid})
        for org in orgs[1:]:
            seats.append({"organisation": org, "title": rng.choice(("工作人员", "负责人", "干事")),
                          "role": "组员", "group": gid})
    members: list[dict[str, Any]] = []
    for seat in seats:
        members.append({**seat, "name": unique_name(), "since": ctx.established, "until": None})
    # Turnover at each year boundary: one group leader and two other members are replaced.
    for year in ctx.years[:-1]:
        active = [m for m in members if m["until"] is None
                  and m["role"] not in ("主任", "办公室主任")]
        leaders = [m for m in active if m["role"] == "组长"]
        others = [m for m in active if m["role"] != "组长"]
        leaving = rng.sample(leaders, 1) + rng.sample(others, 2)
        for m in sorted(leaving, key=members.index):
            m["until"] = date(year, 12, 31)
            members.append({**{k: m[k] for k in ("organisation", "title", "role", "group")},
                            "name": unique_name(), "since": date(year + 1, 1, rng.randint(2, 15)),
                            "until": None})
    for n, m in enumerate(members, 1):
        m["id"] = f"M{n:03d}"
    ctx.members = members
    for m in members:  # later rows are successors, so the last active 组长 wins
        if m["role"] == "组长" and m["until"] is None:
            ctx.leaders[m["group"]] = m["id"]
        if m["role"] == "主任":
            ctx.chair = m["id"]
        if m["role"] == "办公室主任":
            ctx.director = m["id"]


def build_meetings(ctx: Ctx) -> None:
    """Committee meetings twice a year, quarterly office meetings, group meetings, one rally."""
    rng = ctx.rng
    rows = []
    for i, year in enumerate(ctx.years):
        items: list[tuple[date, str, str, int]] = []
        first = ctx.established if i == 0 else rand_date(rng, year, 3, 3)
        items.append((first, "委员会会议",
                      "安全社区促进委员会成立暨第一次全体会议" if i == 0
                      else f"{year}年安全社区促进委员会第一次全体会议", rng.randint(18, 26)))
        items.append((date(year, 12, rng.randint(1, 6)), "委员会会议",
                      f"{year}年安全社区促进委员会年度工作总结会议", rng.randint(18, 26)))
        if i == 0:
            items.append((date(year, 4, 12), "动员大会", "安全社区建设动员大会", rng.randint(220, 320)))
        for q, month in enumerate((1, 4, 7, 10), 1):
            items.append((rand_date(rng, year, month, month + 1), "办公室例会",
                          f"安全社区办公室第{q}季度例会", rng.randint(6, 12)))
        for topic in ("专项工作组项目推进会", "伤害监测数据分析会"):
            items.append((rand_date(rng, year, 5, 10), "工作组会议", topic, rng.randint(8, 20)))
        items.append((rand_date(rng, year, 8, 9), "其他", "安全社区建设推进现场会", rng.randint(30, 60)))
        items.sort()
        for n, (day, kind, title, people) in enumerate(items, 1):
            ev = ctx.ev(1, year) if kind in ("委员会会议", "动员大会") else []
            rows.append({"id": f"HY-{year}-{n:02d}", "date": day, "kind": kind, "title": title,
                         "attendees": people, "evidence": ev})
    ctx.meetings = rows


# --------------------------------------------------------------------------------------------
# Injury records (the big table)
# --------------------------------------------------------------------------------------------


def year_counts(per_year: int, n_years: int) -> list[int]:
    """About `per_year` records a year with a gentle downward trend (the projects 'work')."""
    mid = (n_years - 1) / 2
    return [max(1, round(per_year * (1 + 0.04 * (mid - i)))) for i in range(n_years)]


def build_injuries(ctx: Ctx, per_year: int) -> None:
    """Draw injury records column by column, grouped by condition, for speed.

    Dependencies follow the report card: age → age class → sex/occupation/cause; cause (and age
    class) → place, activity, intent, nature, body part, severity; severity → outcome;
    place → unit. Drowning happens in May–September. Private columns are fictitious but
    well-formed (ID-card checksum valid, birth date consistent with the age at injury).
    Every column is drawn in bulk (`rng.choices(k=n)`), never row by row, so 500,000 rows
    take a few seconds.
    """
    rng = ctx.rng
    cols: dict[str, list[Any]] = {k: [] for k, _ in TABLES["injuries"]}
    band_vals = list(range(len(AGE_BANDS)))
    band_cw = list(itertools.accumulate(b[2] for b in AGE_BANDS))
    src_vals, src_cw = cum(dict(INJURY_SOURCES))
    ids = IdNumbers()
    public_names = {m["name"] for m in ctx.members} | _prose_names()
    for year, n in zip(ctx.years, year_counts(per_year, len(ctx.years)), strict=True):
        bands = rng.choices(band_vals, cum_weights=band_cw, k=n)
        ages = draw_ages(rng, bands)
        classes = [age_class(a) for a in ages]
        sexes = draw_keyed(rng, classes, SEX_BY_CLASS)
        occ_keys = ["pre" if a <= 5 else "stu" if a <= 17 else "young" if a <= 22
                    else "work" if a <= 59 else "old" for a in ages]
        occupations = draw_keyed(rng, occ_keys, OCCUPATION_BY_AGE)
        causes = draw_keyed(rng, classes, CAUSE_BY_CLASS)
        pairs = list(zip(causes, classes, strict=True))

        def by_cause(tables: dict[str, Weights], pairs: list[tuple[str, str]] = pairs) -> list[str]:
            """Draw a cause-dependent column (with an age-class refinement where one exists)."""
            keys = [resolve(tables, f"{c}|{k}", c) for c, k in pairs]
            return draw_keyed(rng, keys, tables)

        places = by_cause(PLACE_BY_KEY)
        activities = by_cause(ACTIVITY_BY_KEY)
        intents = by_cause(INTENT_BY_KEY)
        natures = by_cause(NATURE_BY_KEY)
        bodies = by_cause(BODY_BY_KEY)
        severities = by_cause(SEVERITY_BY_KEY)
        outcomes = draw_keyed(rng, severities, OUTCOME_BY_KEY)
        units = draw_keyed(rng, [resolve(UNIT_BY_PLACE, p) for p in places], UNIT_BY_PLACE)
        sources = rng.choices(src_vals, cum_weights=src_cw, k=n)
        year_days = range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1)
        summer = range(date(year, 5, 1).toordinal(), date(year, 9, 30).toordinal() + 1)
        days = rng.choices(year_days, k=n)
        for i, c in enumerate(causes):
            if c == "溺水":
                days[i] = rng.choice(summer)
        names = [_not_public(n, public_names) for n in draw_names(rng, sexes)]
        id_numbers = ids.draw(rng, days, ages, sexes)
        phones = [f"{p}{d:08d}" for p, d in zip(rng.choices(MOBILE_PREFIXES, k=n),
                                                  rng.choices(range(10 ** 8), k=n), strict=True)]
        # Chronological order within the year, so ids read like a register.
        order = sorted(range(n), key=days.__getitem__)
        width = max(4, len(str(n)))
        iso = {d: date.fromordinal(d).isoformat() for d in set(days)}
        cols["id"].extend(f"SH-{year}-{seq:0{width}d}" for seq in range(1, n + 1))
        cols["date"].extend(iso[days[i]] for i in order)
        for key, values in (("sex", sexes), ("age", ages), ("occupation", occupations),
                            ("cause", causes), ("place", places), ("activity", activities),
                            ("intent", intents), ("nature", natures), ("body_part", bodies),
                            ("severity", severities), ("outcome", outcomes), ("unit", units),
                            ("source", sources), ("name", names), ("id_number", id_numbers),
                            ("phone", phones)):
            cols[key].extend([values[i] for i in order])
    ctx.injuries = cols


def _prose_names() -> set[str]:
    """Names a surname and a given-name character can spell inside this generator's published prose
    (e.g. 高峰 in 早晚高峰): an injured person so named would make the privacy guard reject the
    build, rightly — so such names are changed too."""
    texts: list[str] = []

    def walk(v: Any) -> None:
        if isinstance(v, str):
            texts.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    for k, v in globals().items():
        if k.isupper() and k not in ("SURNAMES", "GIVEN_MALE", "GIVEN_FEMALE"):
            walk(v)
    prose = "\n".join(texts)
    return {s + g for s in SURNAMES for g in GIVEN_MALE + GIVEN_FEMALE if s + g in prose}


def _not_public(name: str, public: set[str]) -> str:
    """Keep injured people's fictitious names distinct from committee members' published names,
    so that a privacy scan of the site can treat every injury name as private (no rng used)."""
    for extra in "敏静磊琳涛颖":
        if name not in public:
            return name
        name = name[:2] + extra
    return name


def draw_ages(rng: random.Random, bands: list[int]) -> list[int]:
    """Uniform ages inside each drawn age band, drawn per band in bulk."""
    ages = [0] * len(bands)
    groups: dict[int, list[int]] = {}
    for i, b in enumerate(bands):
        groups.setdefault(b, []).append(i)
    for b in sorted(groups):
        lo, hi, _ = AGE_BANDS[b]
        for i, a in zip(groups[b], rng.choices(range(lo, hi + 1), k=len(groups[b])), strict=True):
            ages[i] = a
    return ages


def draw_names(rng: random.Random, sexes: list[str]) -> list[str]:
    """Fictitious names in bulk: surname plus one (30 %) or two given-name characters."""
    n = len(sexes)
    surnames = rng.choices(SURNAMES, k=n)
    two = [r < 0.7 for r in (rng.random() for _ in range(n))]
    male = rng.choices(GIVEN_MALE, k=2 * n)
    female = rng.choices(GIVEN_FEMALE, k=2 * n)
    out = []
    for i, (sur, sex, long) in enumerate(zip(surnames, sexes, two, strict=True)):
        pool = male if sex == "男" else female
        out.append(sur + pool[2 * i] + (pool[2 * i + 1] if long else ""))
    return out


class IdNumbers:
    """Fictitious 18-character resident ID numbers (GB 11643) with a valid check character.

    The weighted checksum is split into region, birth-date and sequence parts whose partial
    sums are cached, so each number costs a few dictionary look-ups.
    """

    def __init__(self) -> None:
        self.region_sum = {r: self._wsum(r, 0) for r in ID_REGIONS}
        self.seq_sum = [self._wsum(f"{s:03d}", 14) for s in range(1000)]
        self.birth: dict[int, tuple[str, int]] = {}  # ordinal → ("YYYYMMDD", partial sum)

    @staticmethod
    def _wsum(digits: str, offset: int) -> int:
        return sum(int(c) * ID_WEIGHTS[offset + i] for i, c in enumerate(digits))

    def _birth(self, ordinal: int) -> tuple[str, int]:
        got = self.birth.get(ordinal)
        if got is None:
            b = date.fromordinal(ordinal)
            text = f"{b.year:04d}{b.month:02d}{b.day:02d}"
            got = self.birth[ordinal] = (text, self._wsum(text, 6))
        return got

    def draw(self, rng: random.Random, days: list[int], ages: list[int],
             sexes: list[str]) -> list[str]:
        """One number per record: exact age at the injury date, odd sequence digit for men."""
        n = len(days)
        regions = rng.choices(ID_REGIONS, k=n)
        back = rng.choices(range(365), k=n)  # days before the last birthday that gives `age`
        seqs = rng.choices(range(500), k=n)
        out = []
        for i in range(n):
            day = date.fromordinal(days[i])
            latest = replace_year(day, day.year - ages[i]).toordinal()
            text, bsum = self._birth(latest - back[i])
            seq = seqs[i] * 2 + (1 if sexes[i] == "男" else 0)
            region = regions[i]
            check = ID_CHECK[(self.region_sum[region] + bsum + self.seq_sum[seq]) % 11]
            out.append(f"{region}{text}{seq:03d}{check}")
        return out


def injury_stats(ctx: Ctx) -> None:
    """Per-year aggregates used by projects, diagnoses and the narrative pages."""
    cols = ctx.injuries
    pop = {p["year"]: p for p in ctx.population}
    stats: dict[int, dict[str, Any]] = {}
    for y in ctx.years:
        stats[y] = Counter()
    for d, age, cause, place, outcome in zip(cols["date"], cols["age"], cols["cause"],
                                             cols["place"], cols["outcome"], strict=True):
        s = stats[int(d[:4])]
        cls = age_class(age)
        s["total"] += 1
        s[cls] += 1
        s[f"cause:{cause}"] += 1
        s[f"place:{place}"] += 1
        s[f"outcome:{outcome}"] += 1
        if cause in ("机动车车祸", "非机动车车祸"):
            s["traffic"] += 1
            if cls == "adult":
                s["adult_traffic"] += 1
        if cause == "跌倒/坠落":
            s["falls"] += 1
            if cls == "elder":
                s["elderly_falls_n"] += 1
        if place == "家中":
            s["home"] += 1
        if place == "工业和建筑场所":
            s["work"] += 1
        if cause == "溺水":
            s["drowning"] += 1
    for y, s in stats.items():
        p = pop[y]
        s["children"] = s["child"]
        s["rate"] = round(s["total"] / p["total"] * 1000, 2)
        s["elderly_falls"] = round(s["elderly_falls_n"] / p["age_60_plus"] * 1000, 2)
    ctx.stats["injuries"] = stats


# --------------------------------------------------------------------------------------------
# Projects, hazards, inspections, accidents, actions, reviews
# --------------------------------------------------------------------------------------------


def build_projects(ctx: Ctx) -> None:
    """Projects with indicators; data-backed indicators use the generated injury statistics."""
    rng = ctx.rng
    stats = ctx.stats["injuries"]
    y0, y1 = ctx.years[0], ctx.years[-1]
    group_by_area = {g[3]: g[0] for g in GROUPS if g[2] == "专项"}
    out = []
    for n, p in enumerate(PROJECTS):
        status = p.get("status", "进行中")
        start = date(y0, 4 + n % 3, 1 + (n * 7) % 20)
        end = date(y1, 7, 31) if status == "已完成" else date(y1, 12, 31)
        indicators = []
        for ind in p["indicators"]:
            if ind[0].startswith("data:"):
                key = ind[0][5:]
                actual = {y: stats[y][key] for y in ctx.years}
                first = actual[y0]
                is_rate = isinstance(first, float)
                base = first  # the baseline is what the records of the baseline year give (`dossier check`)
                goal = 0 if key == "drowning" else (round(base * 0.85, 2) if is_rate
                                                    else round(base * 0.85))
                indicators.append({"name": ind[1], "unit": ind[2],
                                   "baseline": {"year": y0, "value": base},
                                   "target": {"year": y1, "value": goal}, "actual": actual})
            else:
                _, name, unit, base, goal = ind
                actual = {}
                for i, y in enumerate(ctx.years, 1):
                    share = min(1.0, i / len(ctx.years) * rng.uniform(0.85, 1.0))
                    v = base + (goal - base) * share
                    actual[y] = round(v, 1) if isinstance(base, float) else int(round(v))
                if status == "暂停":  # paused projects stall after the first year
                    for y in ctx.years[1:]:
                        actual[y] = actual[y0]
                indicators.append({"name": name, "unit": unit,
                                   "baseline": {"year": y0, "value": base},
                                   "target": {"year": y1, "value": goal}, "actual": actual})
        out.append({"id": p["id"], "name": p["name"], "area": p["area"],
                    "group": group_by_area[p["area"]], "start": start, "end": end,
                    "targets": p["targets"], "objectives": p["objectives"],
                    "interventions": p["interventions"], "indicators": indicators,
                    "status": status, "evidence": Flow(ctx.ev(5, k=1))})
    ctx.projects = out


# Hazard templates per category: (spot, description, measures, responsible suffix or org).
HAZARD_TEMPLATES: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "交通安全": (
        ("清溪路与望江路交叉口", "路口缺少减速带和警示标志，早晚高峰人车混行", "增设减速带、警示标志和隔离护栏",
         "临江市公安局交通警察大队清溪中队"),
        ("学校门口", "人行横道标线磨损不清", "重新施划人行横道标线，增设学校区域提示牌",
         "街道城市管理办公室"),
        ("新桥路段", "电动自行车逆行、违规载人现象多发", "设置劝导岗，开展集中整治",
         "临江市公安局交通警察大队清溪中队")),
    "消防安全": (
        ("高层住宅楼道", "楼道堆放杂物，堵塞疏散通道", "清理杂物，纳入物业日常巡查", "物业"),
        ("住宅单元", "电动自行车在楼道内停放充电", "清理违规充电车辆，引导至集中充电棚", "物业"),
        ("沿街店铺", "灭火器过期失效", "更换灭火器并建立检查记录", "经营户"),
        ("小区主干道", "消防车通道被私家车占用", "施划禁停标线，设置警示牌", "物业"),
        ("出租房", "电线私拉乱接、飞线充电", "拆除飞线，规范线路敷设", "房东")),
    "工作场所安全": (
        ("生产车间", "配电箱未上锁，部分线路老化", "更换老化线路，配电箱加锁并张贴警示", "企业"),
        ("仓储区", "叉车作业区域未划定警示线", "划定作业区域和人行通道", "企业"),
        ("污水池", "有限空间未设置警示标识", "设置警示标识，落实作业审批", "企业"),
        ("加工车间", "员工未按规定佩戴劳动防护用品", "开展班前教育，加强现场检查", "企业")),
    "家居安全": (
        ("老旧住宅", "燃气管道锈蚀，未安装燃气报警器", "更换燃气管道，安装燃气报警器", "居民委员会"),
        ("住宅楼道", "楼道照明损坏，夜间行走不便", "维修更换楼道照明", "物业")),
    "老年人安全": (
        ("老年活动中心", "卫生间未安装扶手，地面湿滑", "加装扶手，铺设防滑地砖", "居民委员会"),
        ("小区台阶", "台阶无防滑条、无扶手", "加装防滑条和扶手", "物业")),
    "儿童安全": (
        ("儿童游乐场", "游乐设施螺丝松动，边角锐利", "紧固螺丝，加装防护包角", "物业"),
        ("小区景观水池", "景观水池无护栏", "加装护栏和警示牌", "物业")),
    "学校安全": (
        ("校门口", "上下学时段交通拥堵，缺少护学岗", "设立警校家联动护学岗", "学校"),
        ("实验室", "化学品台账不全，存放不规范", "完善台账，落实双人双锁管理", "学校"),
        ("校园围墙", "围墙局部破损", "修复围墙并加强巡查", "学校")),
    "公共场所安全": (
        ("清溪农贸市场", "摊位电线私拉乱接", "规范线路，安装漏电保护装置", "清溪农贸市场管理有限公司"),
        ("商业综合体", "安全出口指示灯损坏", "更换指示灯并定期检测", "清溪市场监督管理所")),
    "体育运动安全": (
        ("社区健身广场", "健身器材老化破损", "拆除破损器材，更换新器材", "居民委员会"),),
    "涉水安全": (
        ("清溪河滨河步道", "临水区域护栏缺失", "增设护栏和救生设施", "街道农业农村和水利服务站"),
        ("河埠头", "警示牌损坏，救生圈缺失", "更换警示牌，补充救生圈", "街道农业农村和水利服务站")),
    "社会治安": (
        ("背街小巷", "监控存在盲区，夜间照明不足", "增设监控和路灯", "临江市公安局清溪派出所"),
        ("出租房", "流动人口登记不全", "开展出租房清查登记", "临江市公安局清溪派出所")),
    "防灾减灾与环境安全": (
        ("地下车库入口", "挡水设施不足，汛期易进水", "配置挡水板和沙袋", "物业"),
        ("沿街商铺", "户外广告牌固定不牢", "加固或拆除广告牌", "街道城市管理办公室"),
        ("低洼路段", "排水沟堵塞", "疏通排水沟", "街道城市建设办公室")),
    "其他": (
        ("居民楼外墙", "空调外机支架锈蚀", "督促更换支架", "物业"),),
}
HAZARD_CATEGORY_WEIGHTS: Weights = {
    "消防安全": 24, "交通安全": 12, "工作场所安全": 12, "公共场所安全": 8, "家居安全": 8,
    "老年人安全": 6, "儿童安全": 5, "学校安全": 5, "涉水安全": 5, "防灾减灾与环境安全": 7,
    "社会治安": 4, "体育运动安全": 2, "其他": 2,
}
INSPECTION_PLAN: tuple[tuple[str, int, int, str, str], ...] = (
    # (kind, month from, month to, target, inspector)
    ("节假日检查", 1, 2, "农贸市场、商业综合体和烟花爆竹销售点", "街道应急管理办公室、清溪市场监督管理所"),
    ("日常检查", 3, 3, "高层住宅小区", "消防安全组"),
    ("专项检查", 4, 4, "辖区小微企业", "工作场所安全组"),
    ("季节性检查", 5, 6, "清溪河沿岸和低洼地段", "防灾减灾组、涉水安全组"),
    ("日常检查", 6, 6, "学校周边道路", "交通安全组"),
    ("专项检查", 7, 7, "电动自行车停放充电场所", "清溪消防救援站"),
    ("联合检查", 8, 8, "出租房和群租房", "临江市公安局清溪派出所、清溪消防救援站"),
    ("日常检查", 8, 9, "中小学校园", "学校安全组"),
    ("节假日检查", 9, 9, "人员密集场所", "街道应急管理办公室、清溪市场监督管理所"),
    ("日常检查", 10, 10, "老年活动中心和养老机构", "老年人安全组"),
    ("专项检查", 10, 11, "老旧小区燃气设施", "居家安全组"),
    ("季节性检查", 11, 11, "冬季防火重点单位", "清溪消防救援站"),
    ("日常检查", 12, 12, "儿童游乐场所", "儿童安全组"),
    ("联合检查", 12, 12, "辖区企业", "监督检查组"),
)


def build_inspections_and_hazards(ctx: Ctx) -> None:
    """Inspections per year, and a hazard register of which ~60 % come from those inspections.

    Due dates follow the level (一般 15 days, 较大 30, 重大 60); about 80 % are closed, the
    rest are recent open items and a few overdue ones. About 10 % are 挂牌督办.
    """
    rng = ctx.rng
    cat_vals, cat_cw = cum(HAZARD_CATEGORY_WEIGHTS)
    level_vals, level_cw = cum({"一般": 80, "较大": 16, "重大": 4})
    hazards: list[dict[str, Any]] = []
    inspections: list[dict[str, Any]] = []
    for year in ctx.years:
        insp = []
        for kind, m1, m2, target, inspector in INSPECTION_PLAN:
            insp.append({"date": rand_date(rng, year, m1, m2), "kind": kind, "target": target,
                         "inspector": inspector, "hazard_rows": []})
        insp.sort(key=lambda r: r["date"])
        year_hazards = []
        for _ in range(rng.randint(24, 28)):
            category = rng.choices(cat_vals, cum_weights=cat_cw)[0]
            spot, desc, measures, resp = rng.choice(HAZARD_TEMPLATES[category])
            unit = (rng.choice(SCHOOL_UNITS) if category == "学校安全"
                    else rng.choice(ENTERPRISE_UNITS) if category == "工作场所安全"
                    else rng.choice(COMMUNITY_UNITS))
            if resp in ("物业", "居民委员会"):
                resp = unit["name"] + ("物业服务中心" if resp == "物业" else "居民委员会")
            elif resp in ("企业", "学校"):
                resp = unit["name"]
            elif resp in ("经营户", "房东"):
                resp = f"{unit['name']}网格员督促{resp}"
            level = rng.choices(level_vals, cum_weights=level_cw)[0]
            h = {"location": f"{unit['name']}{spot}", "unit": unit["id"], "category": category,
                 "description": desc, "level": level, "measures": measures, "responsible": resp}
            if rng.random() < 0.6:
                source = rng.choice(insp)
                h["found"] = source["date"]
                source["hazard_rows"].append(h)
            else:
                h["found"] = rand_date(rng, year)
                h["_reported"] = True  # reported by residents or grid workers, not an inspection
            year_hazards.append(h)
        if year == ctx.years[-1]:
            # A couple of items found in the last fortnight: open and not yet due at cycle end.
            for h in [h for h in year_hazards if h.get("_reported")][:2]:
                h["found"] = date(year, 12, rng.randint(18, 26))
        year_hazards.sort(key=lambda h: (h["found"], h["category"], h["description"]))
        for n, h in enumerate(year_hazards, 1):
            h["id"] = f"H-{year}-{n:03d}"
        for n, r in enumerate(insp, 1):
            ids = [h["id"] for h in r["hazard_rows"]]
            inspections.append({
                "id": f"JC-{year}-{n:02d}", "date": r["date"], "kind": r["kind"],
                "target": r["target"], "inspector": r["inspector"],
                "findings": len(ids) + rng.randint(0, 4), "hazards": sorted(ids),
                "evidence": ctx.ev(8, year) if n % 3 == 0 else []})
        hazards.extend(year_hazards)
    settle_hazards(ctx, hazards)
    ctx.hazards = hazards
    ctx.inspections = inspections


def settle_hazards(ctx: Ctx, hazards: list[dict[str, Any]]) -> None:
    """Due dates, closure and 挂牌督办 for the register, all inside the cycle."""
    rng = ctx.rng
    end = ctx.end
    days_for = {"一般": 15, "较大": 30, "重大": 60}
    for h in hazards:
        h.pop("_reported", None)
        h["due"] = min(end, h["found"] + timedelta(days=days_for[h["level"]]))
        age = (end - h["found"]).days
        if age < 120 and h["level"] != "一般":
            h["due"] = end  # larger works found late in the cycle get a year-end deadline
        p_open = 0.75 if age < 120 else 0.35 if h["found"].year == ctx.years[-1] else 0.03
        late = rng.random() < 0.15
        delay = rng.randint(1, days_for[h["level"]] + (20 if late else 0))
        closed = h["found"] + timedelta(days=delay)
        h["closed"] = None if (rng.random() < p_open or closed > end or age < 15) else closed
    # About 10 % are supervised, drawn from the serious ones (all 重大 first).
    serious = [h for h in hazards if h["level"] == "重大"]
    major = [h for h in hazards if h["level"] == "较大"]
    want = max(1, round(len(hazards) * 0.1))
    chosen = serious[:want] + rng.sample(major, min(len(major), max(0, want - len(serious))))
    chosen_ids = {h["id"] for h in chosen}
    for h in hazards:
        h["supervised"] = "是" if h["id"] in chosen_ids else "否"


ACCIDENT_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("道路交通事故", "清溪路与望江路交叉口", "一辆电动自行车与右转小型客车发生碰撞，骑车人受伤送医。"),
    ("道路交通事故", "新桥路", "电动自行车骑行者未佩戴头盔，与行人发生碰撞，两人受伤。"),
    ("道路交通事故", "望江路公交站附近", "小型货车倒车时刮倒路边行人，伤者送医治疗。"),
    ("火灾", "柳塘社区某住宅楼", "住户电动自行车电池在室内充电时起火，微型消防站及时处置，无人员伤亡。"),
    ("火灾", "清溪农贸市场", "摊位电线短路引发火情，过火面积约五平方米。"),
    ("生产安全事故", "临江清溪纺织有限公司", "员工违规清理设备时手部被卷入，造成手指骨折。"),
    ("生产安全事故", "临江港联物流有限公司", "叉车作业时货物掉落砸伤装卸工人。"),
    ("溺水", "清溪河滨河公园段", "一名外来务工人员傍晚在河中游泳溺水，经救援送医。"),
    ("其他", "桂花社区某小区", "高处广告牌被大风吹落，砸伤路过居民。"),
)


def build_accidents(ctx: Ctx) -> None:
    """Five or six accidents a year; deaths only in one serious traffic accident per cycle."""
    rng = ctx.rng
    rows = []
    fatal_year = ctx.years[len(ctx.years) // 2]
    for year in ctx.years:
        picks = [ACCIDENT_TEMPLATES[i] for i in (0, 1, 2)] + rng.sample(ACCIDENT_TEMPLATES[3:], 3)
        picks = picks[: rng.randint(5, 6)]
        items = []
        for kind, loc, desc in picks:
            day = rand_date(rng, year, 5, 9) if kind == "溺水" else rand_date(rng, year)
            injured = 0 if kind == "火灾" and "无人员伤亡" in desc else rng.randint(1, 2)
            if "两人" in desc:
                injured = 2
            loss = round(rng.uniform(0.3, 4.5), 1) if kind != "溺水" else 0
            items.append({"date": day, "kind": kind, "location": loc, "deaths": 0,
                          "injured": injured, "loss": loss, "description": desc})
        items.sort(key=lambda r: r["date"])
        if year == fatal_year:
            items[0].update(kind="道路交通事故", location="清溪路与滨河路交叉口", deaths=1, injured=1,
                            loss=6.8, description="重型货车右转时与直行电动自行车碰撞，骑车人经抢救无效死亡。")
        for n, r in enumerate(items, 1):
            r["id"] = f"SG-{year}-{n:02d}"
        rows.extend(items)
    ctx.accidents = rows


REVIEW_ISSUES: tuple[tuple[str, str, str], ...] = (
    ("部分项目缺少干预前后对比数据", "各专项工作组按季度采集项目指标，年底形成效果评估报告", "预防"),
    ("伤害监测报告卡填写不完整，职业、活动字段缺失较多", "对监测点填报人员开展专题培训，每月抽查报告卡质量", "纠正"),
    ("宣传培训活动覆盖外来务工人员不足", "在企业和出租房集中区域增设宣传点，开展夜间宣讲", "预防"),
    ("部分隐患整改超期未销号", "建立超期隐患周通报制度，由监督检查组跟踪督办", "纠正"),
    ("档案分类编号不统一", "按十二要素统一档案编号规则并重新整理目录", "纠正"),
    ("应急演练评估流于形式", "演练后一周内完成评估报告并修订预案", "预防"),
)
OTHER_ISSUES: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "事故": (("电动自行车与机动车碰撞事故多发于路口", "路口增设非机动车待行区和右转警示", "预防",
             "临江市公安局交通警察大队清溪中队"),
            ("电动自行车室内充电引发火情", "开展电动自行车入户充电专项整治", "纠正", "清溪消防救援站")),
    "监测": (("伤害监测显示60岁及以上老年人跌倒占比偏高", "扩大防跌倒项目覆盖，增加居家适老化改造户数", "预防",
             "老年人安全组"),
            ("儿童烧烫伤多发于家中厨房", "开展家长防烫伤课堂并发放安全资料", "预防", "儿童安全组")),
    "投诉": (("居民反映小区消防通道被占用", "物业设置禁停标志，联合执法清理占道车辆", "纠正", "街道城市管理办公室"),
            ("居民反映滨河步道夜间照明不足", "增设路灯并加强巡查", "纠正", "街道城市建设办公室")),
}


def build_reviews_and_actions(ctx: Ctx) -> None:
    """Reviews (annual, self, third-party) and the actions they and other sources raised.

    Inspection actions follow serious hazards (same due/closure), review actions follow their
    review; everything stays in the cycle and most actions are completed and verified.
    """
    rng = ctx.rng
    end = ctx.end
    last = ctx.years[-1]
    review_specs: list[tuple[date, str, str]] = []
    for year in ctx.years[:-1]:
        review_specs.append((date(year, 12, rng.randint(8, 14)), "年度评审", COMMITTEE_NAME))
    review_specs.append((date(last, 9, 20), "自评", f"{COMMITTEE_NAME}自评工作组"))
    review_specs.append((date(last, 11, 25), "第三方评估", "临江市安全生产协会（第三方评估机构）"))
    actions: list[dict[str, Any]] = []

    def add(raised: date, source: str, issue: str, action: str, kind: str, resp: str,
            due: date, done: date | None, hazard: str | None = None) -> dict[str, Any]:
        raised = clamp(raised, ctx.start, end)
        due = clamp(max(due, raised), ctx.start, end)
        if done is not None and (done < raised or done > end):
            done = None
        row = {"raised": raised, "source": source, "issue": issue, "action": action, "kind": kind,
               "responsible": resp, "due": due, "done": done,
               "verified": rng.choice(("经复查，整改到位", "经监督检查组验证，措施有效",
                                       "已落实，效果良好")) if done else None,
               "hazard": hazard}
        actions.append(row)
        return row

    for year in ctx.years:
        serious = [h for h in ctx.hazards if h["found"].year == year and h["level"] != "一般"]
        for h in serious[:6]:
            add(h["found"], "检查", h["description"],
                h["measures"], "纠正", h["responsible"], h["due"], h["closed"], h["id"])
        for src in ("事故", "监测", "投诉"):
            issue, action, kind, resp = rng.choice(OTHER_ISSUES[src])
            raised = rand_date(rng, year, 2, 10)
            done = raised + timedelta(days=rng.randint(10, 60)) if rng.random() < 0.9 else None
            add(raised, src, issue, action, kind, resp, raised + timedelta(days=60), done)
    review_actions: list[list[dict[str, Any]]] = []
    issues = list(REVIEW_ISSUES)
    rng.shuffle(issues)
    for n, (day, _kind, _who) in enumerate(review_specs):
        rows = []
        for issue, action, akind in (issues[(2 * n) % len(issues)], issues[(2 * n + 1) % len(issues)]):
            raised = day + timedelta(days=rng.randint(1, 5))
            done = raised + timedelta(days=rng.randint(20, 90))
            rows.append(add(raised, "评审", issue, action, akind, OFFICE_NAME,
                            raised + timedelta(days=90), done))
        review_actions.append(rows)
    # Ids by raising year and date.
    actions.sort(key=lambda a: (a["raised"], a["source"], a["issue"]))
    per_year: Counter = Counter()
    for a in actions:
        per_year[a["raised"].year] += 1
        a["id"] = f"A-{a['raised'].year}-{per_year[a['raised'].year]:02d}"
    ctx.actions = actions
    scores = [78, 83, 86, 88, 90, 91, 92, 93, 94, 95]
    reviews = []
    for n, ((day, kind, who), rows) in enumerate(zip(review_specs, review_actions, strict=True), 1):
        if kind == "第三方评估":
            score, conclusion = ctx.stats.get("self_score", 88) - 2, (
                "建设工作符合《安全社区建设基本要求》，建议申请全国安全社区现场评定，并对提出问题限期整改。")
        elif kind == "自评":
            score = ctx.stats.get("self_score", 88)
            conclusion = "对照现场评定标准逐项自评，十二个要素均达到要求，具备申报条件。"
        else:
            score = scores[min(n - 1, len(scores) - 1)]
            conclusion = f"{day.year}年度各要素运行正常，项目按计划推进，需持续改进的问题已列入纠正措施。"
        reviews.append({"id": f"R{n:02d}", "date": day, "kind": kind, "reviewer": who,
                        "conclusion": conclusion, "score": score,
                        "findings": [r["issue"] for r in rows],
                        "actions": Flow(sorted(r["id"] for r in rows))})
    ctx.reviews = reviews


# --------------------------------------------------------------------------------------------
# Trainings and drills
# --------------------------------------------------------------------------------------------

TRAINING_TOPICS: dict[str, tuple[tuple[str, str, str], ...]] = {
    # project id → (title, kind, audience)
    "P01": (("“一盔一带”文明骑行宣传", "宣传活动", "电动自行车骑行者"),
            ("外卖快递骑手交通安全培训", "培训", "外卖快递从业人员"),
            ("交通安全进社区讲座", "讲座", "社区居民")),
    "P02": (("电动自行车安全充电宣传", "宣传活动", "社区居民"),
            ("微型消防站队员业务培训", "培训", "微型消防站队员"),
            ("11·9消防安全知识讲座", "讲座", "社区居民、商户")),
    "P03": (("小微企业负责人安全生产培训", "培训", "企业负责人、安全管理人员"),
            ("有限空间作业安全培训", "培训", "企业一线员工"),
            ("安全生产月知识竞赛", "知识竞赛", "企业员工")),
    "P04": (("居家用电用气安全宣传", "发放资料", "老旧小区住户"),
            ("居家安全自查清单发放", "发放资料", "社区居民")),
    "P05": (("老年人防跌倒健康讲座", "讲座", "60岁及以上老年人"),
            ("老年人平衡能力训练课", "培训", "高龄、独居老人"),
            ("防跌倒知识展板巡展", "展板", "社区居民")),
    "P06": (("“安全家庭”亲子课堂", "讲座", "儿童及家长"),
            ("儿童防烫伤防跌落宣传", "宣传活动", "学龄前儿童家长")),
    "P07": (("开学第一课安全教育", "讲座", "中小学生"),
            ("校园安全主题演讲比赛", "演讲比赛", "中学生"),
            ("护学岗志愿者培训", "培训", "家长志愿者")),
    "P08": (("人员密集场所安全管理员培训", "培训", "市场、商场安全管理员"),
            ("农贸市场消防安全宣传", "宣传活动", "市场经营户")),
    "P09": (("防溺水“六不”安全教育", "讲座", "中小学生"),
            ("暑期防溺水宣传", "宣传活动", "学生及家长")),
    "P10": (("防汛防台知识宣传", "展板", "低洼地段居民"),
            ("“5·12”防灾减灾日宣传", "宣传活动", "社区居民"),
            ("应急救护技能培训", "培训", "网格员、志愿者")),
    "": (("安全社区建设知识培训", "培训", "委员会成员、工作组成员"),
         ("伤害监测报告卡填报培训", "培训", "监测点医务人员"),
         ("安全社区建设宣传", "宣传活动", "社区居民")),
}
PARTICIPANTS_BY_KIND: dict[str, tuple[int, int]] = {
    "培训": (25, 120), "讲座": (40, 200), "宣传活动": (150, 800), "知识竞赛": (40, 150),
    "演讲比赛": (30, 100), "展板": (200, 1500), "发放资料": (300, 2000), "其他": (20, 100),
}


def build_trainings(ctx: Ctx) -> None:
    """About two dozen publicity and training activities a year, most tied to a project."""
    rng = ctx.rng
    rows = []
    keys = list(TRAINING_TOPICS)
    for year in ctx.years:
        items = []
        for n in range(rng.randint(22, 26)):
            pid = keys[n % len(keys)] if n < len(keys) else rng.choice(keys)
            title, kind, audience = rng.choice(TRAINING_TOPICS[pid])
            if "11·9" in title:
                day = date(year, 11, 9)
            elif "5·12" in title:
                day = date(year, 5, 12)
            elif "开学" in title:
                day = date(year, 9, 1)
            elif "暑期" in title or "防溺水" in title:
                day = rand_date(rng, year, 6, 7)
            else:
                day = rand_date(rng, year)
            lo, hi = PARTICIPANTS_BY_KIND[kind]
            items.append({"date": day, "title": title, "kind": kind, "audience": audience,
                          "participants": rng.randint(lo, hi), "project": pid or None,
                          "evidence": ctx.ev(6, year) if n % 3 == 0 else []})
        items.sort(key=lambda r: (r["date"], r["title"]))
        for n, r in enumerate(items, 1):
            r["id"] = f"PX-{year}-{n:03d}"
        rows.extend(items)
    ctx.trainings = rows


def build_plans_and_drills(ctx: Ctx) -> None:
    """Emergency plans approved in the first year and revised later; drills exercise them."""
    rng = ctx.rng
    y0 = ctx.years[0]
    plans = []
    for n, (pid, name, kind, scope, _scenario, _loc) in enumerate(PLANS):
        approved = date(y0, 3, 20) + timedelta(days=5 * n)  # Mar 20 – Apr 24 of the first year
        revised_year = ctx.year_at(1 + n % max(1, len(ctx.years) - 1))
        revised = date(revised_year, 3 + n % 6, 15)
        if revised <= approved:
            revised = approved + timedelta(days=120)
        plans.append({"id": pid, "name": name, "kind": kind, "approved": approved,
                      "revised": clamp(revised, approved, ctx.end), "scope": scope})
    ctx.plans = plans
    evaluations = ("演练组织有序，参演人员熟悉职责，达到预期效果。",
                   "疏散用时符合要求，发现通讯联络不畅，已列入预案修订。",
                   "各小组协同较好，物资调配需进一步加快。",
                   "参演群众积极，初期处置规范，建议增加夜间演练。")
    approved_on = {p["id"]: p["approved"] for p in plans}
    rows = []
    for year in ctx.years:
        items = []
        chosen = [PLANS[1], PLANS[2]] + rng.sample(PLANS[3:] + PLANS[:1], rng.randint(3, 4))
        for pid, _name, _kind, _scope, scenario, loc in chosen:
            if pid == "YA02":
                day = rand_date(rng, year, 5, 6)
            elif pid == "YA03":
                day = date(year, 11, rng.randint(5, 12))
            else:
                day = rand_date(rng, year, 3, 12)
            day = max(day, approved_on[pid] + timedelta(days=rng.randint(10, 30)))  # drill after approval
            items.append({"date": day, "plan": pid, "scenario": scenario, "location": loc,
                          "participants": rng.randint(40, 260),
                          "evaluation": rng.choice(evaluations),
                          "evidence": ctx.ev(7, year) if pid in ("YA02", "YA03") else []})
        items.sort(key=lambda r: r["date"])
        for n, r in enumerate(items, 1):
            r["id"] = f"YL-{year}-{n:02d}"
        rows.extend(items)
    ctx.drills = rows


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------


def write_csv(path: Path, table: str, rows: Iterable[Sequence[Any]], *, labels: bool = False,
              encoding: str = "utf-8") -> None:
    """One table as CSV; header with English keys or (office style) Chinese labels."""
    header = [label if labels else key for key, label in TABLES[table]]
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def dict_rows(table: str, rows: Iterable[dict[str, Any]]) -> Iterable[list[str]]:
    """Project dict rows onto the table's columns in FORMAT order."""
    keys = [k for k, _ in TABLES[table]]
    for r in rows:
        yield [cell(r.get(k)) for k in keys]


def write_hazards_xlsx(path: Path, hazards: list[dict[str, Any]]) -> None:
    """The hazard register as an office workbook: Chinese headers, real Excel date cells.

    Written through openpyxl's ExcelWriter into memory (so no "now" is stamped into the
    properties) and re-zipped with fixed entry times, so the bytes are reproducible.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = "隐患排查治理台账"
    keys = [k for k, _ in TABLES["hazards"]]
    ws.append([label for _, label in TABLES["hazards"]])
    for c in ws[1]:
        c.font = Font(bold=True)
    for h in hazards:
        ws.append([h.get(k) for k in keys])
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, date):
                c.number_format = "yyyy-mm-dd"
    widths = {"A": 13, "B": 12, "C": 30, "D": 9, "E": 14, "F": 36, "G": 7, "H": 9, "I": 34,
              "J": 30, "K": 12, "L": 12}
    for col, w in widths.items():
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"
    wb.properties.creator = OFFICE_NAME
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    wb.properties.lastModifiedBy = OFFICE_NAME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))


def write_tables(ctx: Ctx, out: Path) -> None:
    """All tables; the office quirks imitate what real committee offices hand in."""
    data = out / "data"
    quirks = ctx.office_quirks
    write_csv(data / "population.csv", "population", dict_rows("population", ctx.population))
    if quirks:  # exported from Excel as "CSV UTF-8": BOM and Chinese headers
        write_csv(data / "members.csv", "members", dict_rows("members", ctx.members),
                  labels=True, encoding="utf-8-sig")
    else:
        write_csv(data / "members.csv", "members", dict_rows("members", ctx.members))
    write_csv(data / "meetings.csv", "meetings", dict_rows("meetings", ctx.meetings))
    if quirks:
        write_hazards_xlsx(data / "hazards.xlsx", ctx.hazards)
    else:
        write_csv(data / "hazards.csv", "hazards", dict_rows("hazards", ctx.hazards))
    trainings = list(dict_rows("trainings", ctx.trainings))
    if quirks:  # a Windows office: GB18030, Chinese headers, full-width list separator
        ev_col = [k for k, _ in TABLES["trainings"]].index("evidence")
        for row in trainings:
            if row[ev_col] and ctx.ev_by_element.get(6) and len(ctx.ev_by_element[6]) > 1:
                ids = sorted({row[ev_col], *(e["id"] for e in ctx.ev_by_element[6][:2])})
                row[ev_col] = "；".join(ids)
                break
        write_csv(data / "trainings.csv", "trainings", trainings, labels=True,
                  encoding="gb18030")
    else:
        write_csv(data / "trainings.csv", "trainings", trainings)
    write_csv(data / "drills.csv", "drills", dict_rows("drills", ctx.drills))
    write_csv(data / "inspections.csv", "inspections", dict_rows("inspections", ctx.inspections))
    cols = ctx.injuries
    keys = [k for k, _ in TABLES["injuries"]]
    write_csv(data / "injuries.csv", "injuries", zip(*(cols[k] for k in keys), strict=True))
    write_csv(data / "accidents.csv", "accidents", dict_rows("accidents", ctx.accidents))
    write_csv(data / "actions.csv", "actions", dict_rows("actions", ctx.actions))
    write_csv(data / "evidence.csv", "evidence", dict_rows("evidence", ctx.evidence))


def write_yaml(path: Path, comment: str, doc: dict[str, Any]) -> None:
    """A YAML document with a leading comment, keys in insertion order, Chinese unescaped."""
    body = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"# {comment}\n{body}", encoding="utf-8")


def prose(*sentences: str) -> Prose:
    """Join sentences into one Markdown paragraph for `summary:`."""
    return Prose("".join(sentences) + "\n")


def write_community(ctx: Ctx, out: Path) -> None:
    """The community profile."""
    doc = {
        "name": COMMUNITY_NAME,
        "name_en": "Qingxi Subdistrict",
        "level": "街道",
        "region": Flow(["浙江省", "临江市", "清溪区"]),
        "area_km2": 18.6,
        "target": "全国安全社区",
        "cycle": {"start": ctx.years[0], "end": ctx.years[-1]},
        "units": [dict(u) for u in UNITS],
        "office": {"name": OFFICE_NAME, "address": "浙江省临江市清溪区清溪路88号街道办事处三楼",
                   "phone": "0571-86001234"},
    }
    write_yaml(out / "dossier" / "community.yml", "社区基本情况（人口见 data/population.csv）", doc)


def doc_organisation(ctx: Ctx) -> dict[str, Any]:
    """Element 1: committee, office, work groups."""
    y0 = ctx.years[0]
    special = sum(1 for g in GROUPS if g[2] == "专项")
    groups = []
    for gid, name, kind, area, _org, _title, duties in GROUPS:
        g: dict[str, Any] = {"id": gid, "name": name, "kind": kind}
        if area:
            g["area"] = area
        g.update(leader=ctx.leaders[gid], duties=duties)
        groups.append(g)
    return {
        "summary": prose(
            f"街道于{y0}年3月成立{COMMITTEE_NAME}，由街道办事处主任任主任，派出所、交警中队、消防救援站、",
            "社区卫生服务中心、学校和重点企业负责人任委员。",
            f"委员会下设办公室和{len(GROUPS)}个工作组，其中**专项工作组{special}个**、"
            f"非专项工作组{len(GROUPS) - special}个，按照“谁主管、谁负责”的原则分工落实。",
            "成员随人事变动及时调整，调整情况记录在成员名册中。"),
        "committee": {"name": COMMITTEE_NAME, "established": ctx.established,
                      "document": f"清溪办〔{y0}〕12号", "chair": ctx.chair},
        "office": {"name": OFFICE_NAME, "director": ctx.director},
        "groups": groups,
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(1, [])[:3]]),
    }


def doc_participation(ctx: Ctx) -> dict[str, Any]:
    """Element 2: channels, partners, volunteers."""
    return {
        "summary": prose(
            "街道通过公众号、宣传栏、电子屏、社区广播和网格微信群等渠道发布安全信息，做到家喻户晓。",
            "辖区政府部门、企业、学校、医院和社会组织共同参与安全社区建设，签订共建协议。",
            "组建安全志愿者队伍，常态化开展巡查、劝导和宣传活动。"),
        "channels": [
            {"name": "“平安清溪”微信公众号", "kind": "公众号", "description": "每周发布安全提示和活动信息"},
            {"name": "社区安全宣传栏", "kind": "宣传栏", "description": "六个社区共设宣传栏48块，每季度更新"},
            {"name": "小区出入口电子屏", "kind": "电子屏", "description": "滚动播放安全提示"},
            {"name": "社区应急广播", "kind": "广播", "description": "汛期和极端天气预警发布"},
            {"name": "网格居民微信群", "kind": "微信群", "description": "网格员推送安全信息并收集隐患线索"},
            {"name": "临江市清溪区政府网站街道专栏", "kind": "网站", "description": "公开安全社区建设信息"},
        ],
        "partners": [
            {"name": "临江市公安局清溪派出所", "kind": "政府部门", "role": "社会治安和出租房管理"},
            {"name": "临江市公安局交通警察大队清溪中队", "kind": "政府部门", "role": "道路交通安全项目"},
            {"name": "清溪消防救援站", "kind": "政府部门", "role": "消防安全培训和检查"},
            {"name": "临江清溪纺织有限公司", "kind": "企业", "role": "工作场所安全示范企业"},
            {"name": "临江市清溪中学", "kind": "学校", "role": "校园安全和学生安全教育"},
            {"name": "临江市第三人民医院", "kind": "医院", "role": "伤害监测点和急救培训"},
            {"name": "清溪蓝天救援志愿队", "kind": "志愿者队伍", "role": "防溺水巡河和应急救援"},
            {"name": "清溪街道社会工作服务站", "kind": "社会组织", "role": "独居老人探访和居家安全服务"},
        ],
        "volunteers": {"teams": 12, "people": 860},
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(2, [])[:3]]),
    }


def doc_risk(ctx: Ctx) -> dict[str, Any]:
    """Element 3: one community diagnosis a year, findings taken from the injury statistics."""
    stats = ctx.stats["injuries"]
    diagnoses = []
    for i, y in enumerate(ctx.years):
        s = stats[y]
        falls = s["falls"] / s["total"] * 100
        eld = s["elderly_falls_n"] / max(1, s["elder"]) * 100
        traffic_adult = s["adult_traffic"] / max(1, s["adult"]) * 100
        year_hazards = [h for h in ctx.hazards if h["found"].year == y]
        first = i == 0
        d = {"id": f"ZD-{y}", "year": y,
             "title": f"{y}年{'社区安全诊断' if first else '社区安全诊断（年度更新）'}",
             "methods": Flow(["问卷调查", "入户访谈", "现场查看", "数据分析", "专家评估"] if first
                             else ["问卷调查", "现场查看", "数据分析"]),
             "sample_size": 1200 if first else 600 + 50 * i,
             "findings": [
                 f"全年伤害监测报告{s['total']}人次，发生率{s['rate']}‰；跌倒/坠落占{falls:.1f}%，居首位。",
                 f"60岁及以上老年人伤害中跌倒/坠落占{eld:.1f}%，多发生在家中和小区公共区域。",
                 f"15-59岁人群中道路交通伤害占{traffic_adult:.1f}%，以电动自行车骑行者为主。",
                 f"排查隐患{len(year_hazards)}项，消防安全类最多，其次为交通和工作场所安全。"],
             "evidence": Flow(ctx.ev(3, y))}
        diagnoses.append(d)
    return {
        "summary": prose(
            "每年开展一次社区安全诊断，综合运用问卷调查、入户访谈、现场查看、伤害监测数据分析和专家评估。",
            "诊断确定**老年人跌倒、道路交通伤害和火灾**为优先解决的问题，据此确定高危人群、高危环境和弱势群体。",
            "诊断结果作为制定目标、计划和安全促进项目的依据。"),
        "diagnoses": diagnoses,
        "high_risk_groups": [
            {"name": "60岁及以上老年人", "risks": ["跌倒/坠落", "居家用火用电不当"],
             "projects": Flow(["P05", "P04"])},
            {"name": "电动自行车骑行者", "risks": ["道路交通伤害", "未佩戴头盔"], "projects": Flow(["P01"])},
            {"name": "儿童青少年", "risks": ["跌倒", "烧烫伤", "溺水"], "projects": Flow(["P06", "P07", "P09"])},
            {"name": "小微企业从业人员", "risks": ["机械伤害", "叉车伤害"], "projects": Flow(["P03"])},
        ],
        "high_risk_environments": [
            {"name": "事故多发路口和学校周边道路", "risks": ["人车混行", "超速"], "projects": Flow(["P01", "P07"])},
            {"name": "高层住宅和老旧小区", "risks": ["电动自行车火灾", "燃气泄漏"], "projects": Flow(["P02", "P04"])},
            {"name": "清溪河沿岸", "risks": ["溺水"], "projects": Flow(["P09"])},
            {"name": "农贸市场和商业综合体", "risks": ["火灾", "踩踏"], "projects": Flow(["P08"])},
            {"name": "低洼地段和地下车库", "risks": ["内涝", "台风"], "projects": Flow(["P10"])},
        ],
        "vulnerable_groups": [
            {"name": "独居和空巢老人", "risks": ["跌倒后无人发现", "燃气泄漏"], "projects": Flow(["P04", "P05"])},
            {"name": "残疾人", "risks": ["紧急疏散困难"], "projects": Flow(["P10"])},
            {"name": "留守和流动儿童", "risks": ["溺水", "无人看护"], "projects": Flow(["P06", "P09"])},
        ],
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(3, [])[:3]]),
    }


def doc_goals(ctx: Ctx) -> dict[str, Any]:
    """Element 4: goals mirroring the main project indicators, and the plans."""
    y0, y1 = ctx.years[0], ctx.years[-1]
    by_id = {p["id"]: p for p in ctx.projects}

    def from_project(gid: str, title: str, pid: str, idx: int, projects: list[str]) -> dict:
        ind = by_id[pid]["indicators"][idx]
        return {"id": gid, "title": title, "indicator": ind["name"], "unit": ind["unit"],
                "baseline": dict(ind["baseline"]), "target": dict(ind["target"]),
                "projects": Flow(projects)}

    goals = [
        from_project("MB01", "降低道路交通伤害", "P01", 0, ["P01", "P07"]),
        from_project("MB02", "降低老年人跌倒伤害发生率", "P05", 0, ["P05", "P04"]),
        from_project("MB03", "减少火灾及火情", "P02", 0, ["P02", "P08"]),
        from_project("MB04", "降低儿童伤害", "P06", 0, ["P06", "P07", "P09"]),
        from_project("MB05", "减少工作场所伤害", "P03", 0, ["P03"]),
        {"id": "MB06", "title": "提高居民应急知识知晓率", "indicator": "居民应急知识知晓率", "unit": "%",
         "baseline": {"year": y0, "value": 58.0}, "target": {"year": y1, "value": 85.0},
         "projects": Flow(["P10", "P02"])},
        {"id": "MB07", "title": "隐患按期整改", "indicator": "隐患按期销号率", "unit": "%",
         "baseline": {"year": y0, "value": 72.0}, "target": {"year": y1, "value": 90.0},
         "projects": Flow(["P03", "P08"])},
    ]
    plans = [{"id": "JH01", "title": f"{COMMUNITY_NAME}安全社区建设规划", "period": f"{y0}—{y1}年",
              "evidence": Flow(ctx.ev_file(f"{SLUG[4]}/three-year-plan.pdf")
                               + ctx.ev_file(f"{SLUG[4]}/goals-table.pdf"))}]
    for y in ctx.years:
        plans.append({"id": f"JH{y}", "title": f"{y}年安全社区建设工作计划", "period": f"{y}年",
                      "evidence": Flow(ctx.ev(4, y))})
    return {
        "summary": prose(
            "根据社区诊断结果，针对高危人群、高危环境和弱势群体制定可测量的伤害预防目标。",
            f"目标以{y0}年为基线、{y1}年为目标年，分解到各专项工作组和安全促进项目。",
            "每年制定年度工作计划，年底对照目标进行评估。"),
        "goals": goals,
        "plans": plans,
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(4, [])[:3]]),
    }


def doc_projects(ctx: Ctx) -> dict[str, Any]:
    """Element 5: the promotion projects built earlier."""
    areas = len({p["area"] for p in ctx.projects})
    return {
        "summary": prose(
            f"围绕{areas}个促进领域实施{len(ctx.projects)}个安全促进项目，每个项目由对应的专项工作组负责。",
            "项目均设定目标人群、干预措施和评价指标，按年度采集实际值与基线、目标值对比。",
            "老年人防跌倒和道路交通安全项目是**重点项目**。"),
        "projects": ctx.projects,
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(5, [])[:3]]),
    }


def doc_training(ctx: Ctx) -> dict[str, Any]:
    """Element 6: yearly plans; activities are in data/trainings.csv."""
    total = sum(t["participants"] for t in ctx.trainings)
    return {
        "summary": prose(
            f"建设周期内共开展宣传教育和培训活动{len(ctx.trainings)}场次，参与约{total}人次。",
            "活动覆盖老年人、儿童家长、学生、企业员工和外卖快递骑手等重点人群。",
            "每年年初制定宣传教育培训计划，活动记录逐场登记。"),
        "plans": [{"year": y, "title": f"{y}年安全社区宣传教育培训计划", "evidence": Flow(ctx.ev(6, y))}
                  for y in ctx.years],
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(6, [])[:3]]),
    }


def doc_emergency(ctx: Ctx) -> dict[str, Any]:
    """Element 7: plans, teams, shelters, supplies."""
    return {
        "summary": prose(
            f"街道建立了总体预案、专项预案和现场处置方案组成的应急预案体系，共{len(ctx.plans)}项，",
            "预案每年评估并按需修订。",
            f"周期内组织应急演练{len(ctx.drills)}次，演练后开展评估并改进预案。"),
        "plans": ctx.plans,
        "teams": [
            {"name": "清溪街道综合应急救援队", "kind": "综合救援", "people": 45},
            {"name": "社区微型消防站（6个）", "kind": "消防", "people": 54},
            {"name": "防汛抢险突击队", "kind": "防汛", "people": 60},
            {"name": "社区卫生服务中心医疗救护队", "kind": "医疗救护", "people": 18},
            {"name": "清溪蓝天救援志愿队", "kind": "志愿者", "people": 36},
        ],
        "shelters": [
            {"name": "清溪公园应急避难场所", "location": "清溪路与滨河路交叉口", "capacity": 3000},
            {"name": "临江市清溪中学体育馆", "location": "望江路", "capacity": 1200},
            {"name": "柳塘社区文化家园", "location": "柳塘社区", "capacity": 300},
        ],
        "supplies": [
            {"name": "救生衣", "quantity": "120件", "location": "街道应急物资仓库"},
            {"name": "沙袋", "quantity": "3000只", "location": "街道应急物资仓库"},
            {"name": "手提式灭火器", "quantity": "240具", "location": "各社区微型消防站"},
            {"name": "应急照明灯", "quantity": "80台", "location": "街道应急物资仓库"},
            {"name": "自动体外除颤器（AED）", "quantity": "6台", "location": "各社区党群服务中心"},
        ],
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(7, [])[:3]]),
    }


def doc_monitoring(ctx: Ctx) -> dict[str, Any]:
    """Element 8: monitoring network and indicators."""
    return {
        "summary": prose(
            "建立由医院、社区卫生服务中心、派出所、交警、消防、学校和企业组成的监测网络。",
            f"周期内开展各类安全检查{len(ctx.inspections)}次，发现隐患登记入台账并跟踪整改。",
            "监督检查组每季度对项目进展和隐患整改情况进行督查。"),
        "network": [{"id": i, "name": n, "kind": k, "reports": Flow(list(r))} for i, n, k, r in NETWORK],
        "indicators": ["伤害发生率（‰）及其年度变化", "60岁及以上老年人跌倒伤害发生率", "道路交通伤害人次",
                       "火灾及火情警情起数", "隐患按期销号率", "挂牌督办隐患整改完成率", "项目指标完成情况"],
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(8, [])[:3]]),
    }


def doc_records(ctx: Ctx) -> dict[str, Any]:
    """Element 9: recording system and sources."""
    return {
        "summary": prose(
            "伤害监测采用全国伤害监测报告卡，由医院急诊科和社区卫生服务机构填报，伤害统计与监测组每月汇总。",
            "事故信息由派出所、交警、消防和企业报送。",
            "伤害记录含个人信息，仅在办公室内部保存，对外只发布汇总统计。"),
        "system": {"description": "医院和社区卫生服务机构对首诊伤害病例填写伤害监测报告卡，每月5日前报送"
                                  "伤害统计与监测组，录入后核对，每季度形成分析报告。",
                   "since": date(ctx.years[0], 4, 1)},
        "sources": Flow([n[0] for n in NETWORK if "伤害" in n[3] or "事故" in n[3]]),
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(9, [])[:3]]),
    }


def doc_archive(ctx: Ctx) -> dict[str, Any]:
    """Element 10: who keeps what where."""
    return {
        "summary": prose(
            "安全社区建设档案由促进委员会办公室统一管理，按十二个要素分类立卷。",
            f"电子档案与纸质档案同步，目前共登记佐证材料{len(ctx.evidence)}份。",
            "档案借阅实行登记制度。"),
        "keeper": f"{OFFICE_NAME}（档案管理员）",
        "location": "清溪街道办事处三楼档案室",
        "categories": [f"{n:02d} {label}" for n, _, label in ELEMENTS],
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(10, [])[:3]]),
    }


def doc_corrective(ctx: Ctx) -> dict[str, Any]:
    """Element 11: procedure text."""
    done = sum(1 for a in ctx.actions if a["done"])
    return {
        "summary": prose(
            "对检查、评审、事故、投诉和监测中发现的问题，制定预防或纠正措施，明确责任单位和期限。",
            f"周期内共提出措施{len(ctx.actions)}项，已完成{done}项，完成后由监督检查组验证。"),
        "procedure": Prose(
            "1. **问题识别**：来源包括安全检查、评审、事故调查、居民投诉和伤害监测分析。\n"
            "2. **原因分析**：责任工作组在5个工作日内分析原因，区分预防措施和纠正措施。\n"
            "3. **制定措施**：明确措施内容、责任单位和完成期限，报办公室登记入台账。\n"
            "4. **实施与跟踪**：办公室每月跟踪进度，超期事项在例会上通报。\n"
            "5. **验证与关闭**：措施完成后由监督检查组现场验证，填写验证结论后关闭。\n"),
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(11, [])[:3]]),
    }


def doc_review(ctx: Ctx) -> dict[str, Any]:
    """Element 12: reviews with the actions they raised."""
    return {
        "summary": prose(
            "委员会每年年底组织年度评审，对项目和管理体系运行情况进行评价。",
            f"{ctx.years[-1]}年开展自评并邀请第三方机构评估，评审发现的问题均已转为纠正或预防措施。"),
        "reviews": ctx.reviews,
        "evidence": Flow([e["id"] for e in ctx.ev_by_element.get(12, [])[:3]]),
    }


ELEMENT_DOCS: dict[int, Callable[[Ctx], dict[str, Any]]] = {
    1: doc_organisation, 2: doc_participation, 3: doc_risk, 4: doc_goals, 5: doc_projects,
    6: doc_training, 7: doc_emergency, 8: doc_monitoring, 9: doc_records, 10: doc_archive,
    11: doc_corrective, 12: doc_review,
}


def write_elements(ctx: Ctx, out: Path) -> None:
    """The twelve element YAMLs; empty evidence lists are dropped rather than written as []."""
    for n, slug, label in ELEMENTS:
        doc = ELEMENT_DOCS[n](ctx)
        drop_empty_evidence(doc)
        write_yaml(out / "dossier" / f"{n:02d}-{slug}.yml", f"要素{n}：{label}", doc)


def drop_empty_evidence(node: Any) -> None:
    """Remove `evidence: []` anywhere in a document (small --evidence counts)."""
    if isinstance(node, dict):
        if "evidence" in node and not node["evidence"]:
            del node["evidence"]
        for v in node.values():
            drop_empty_evidence(v)
    elif isinstance(node, list):
        for v in node:
            drop_empty_evidence(v)


# --------------------------------------------------------------------------------------------
# Narrative pages and mkdocs.yml
# --------------------------------------------------------------------------------------------

# Self-assessment: (element, second-level items); 50 items × 3 points = 150 (DOMAIN.md).
SELF_ITEMS = (4, 4, 5, 4, 6, 4, 5, 4, 4, 3, 3, 4)
SELF_SHARE = (0.90, 0.86, 0.88, 0.87, 0.90, 0.91, 0.88, 0.85, 0.86, 0.90, 0.84, 0.87)


def self_scores() -> tuple[list[float], float]:
    """Per-element self-assessment scores and the total out of 150."""
    scores = [round(n * 3 * s, 1) for n, s in zip(SELF_ITEMS, SELF_SHARE, strict=True)]
    return scores, round(sum(scores), 1)


def write_pages(ctx: Ctx, out: Path) -> None:
    """Work report and self-assessment, numbers taken from the generated data."""
    pages = out / "dossier" / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    (pages / "work-report.md").write_text(work_report(ctx), encoding="utf-8")
    (pages / "self-assessment.md").write_text(self_assessment(ctx), encoding="utf-8")


def work_report(ctx: Ctx) -> str:
    """The committee's work report (工作报告)."""
    y0, y1 = ctx.years[0], ctx.years[-1]
    stats = ctx.stats["injuries"]
    pop = {p["year"]: p for p in ctx.population}
    rows = []
    for y in ctx.years:
        hz = [h for h in ctx.hazards if h["found"].year == y]
        closed = sum(1 for h in hz if h["closed"])
        tr = sum(1 for t in ctx.trainings if t["date"].year == y)
        rows.append(f"| {y} | {pop[y]['total']} | {stats[y]['total']} | {stats[y]['rate']} | "
                    f"{len(hz)} | {closed} | {tr} |")
    s0, s1 = stats[y0], stats[y1]
    change = (s1["rate"] - s0["rate"]) / s0["rate"] * 100 if s0["rate"] else 0.0
    supervised = [h for h in ctx.hazards if h["supervised"] == "是"]
    open_h = [h for h in ctx.hazards if not h["closed"]]
    projects = "\n".join(f"- **{p['name']}**（{p['area']}，{p['status']}）" for p in ctx.projects)
    return f"""# {COMMUNITY_NAME}安全社区建设工作报告

{COMMUNITY_NAME}位于临江市清溪区中部，辖{len(COMMUNITY_UNITS)}个社区，常住人口约{pop[y1]['total']}人。
{y0}年以来，街道按照《安全社区建设基本要求》（AQ/T 9001）开展**全国安全社区**建设，现将{y0}—{y1}年工作报告如下。

!!! note "说明"
    本报告中的伤害数据来自辖区伤害监测点报告卡汇总，发生率按当年常住人口计算（‰）。
    个人信息不在报告中出现，所有统计均为汇总数据。

## 一、组织领导

街道成立了{COMMITTEE_NAME}，主任由街道办事处主任担任，委员会下设办公室和{len(GROUPS)}个工作组。

- 委员会每年召开全体会议两次，研究部署安全社区建设重大事项；
- 办公室每季度召开例会，协调各工作组推进项目；
- 各专项工作组负责一个促进领域，非专项工作组负责宣传、督查和伤害监测；
- 成员随人事变动及时调整，保持工作连续。

## 二、主要工作

### （一）开展社区诊断

每年开展社区安全诊断，{y0}年首次诊断共发放问卷1200份，结合伤害监测数据和现场查看，确定老年人跌倒、
道路交通伤害和火灾为优先解决的问题。

### （二）实施安全促进项目

共实施{len(ctx.projects)}个安全促进项目：

{projects}

### （三）隐患排查治理

周期内共排查隐患{len(ctx.hazards)}项，挂牌督办{len(supervised)}项，目前尚未销号{len(open_h)}项，
已全部明确责任单位和整改期限。

### （四）宣传教育与应急演练

共开展宣传培训{len(ctx.trainings)}场次、应急演练{len(ctx.drills)}次，居民安全意识明显提高。

## 三、建设成效

| 年份 | 常住人口 | 伤害报告人次 | 伤害发生率(‰) | 排查隐患(项) | 已销号(项) | 宣传培训(场次) |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

与{y0}年相比，{y1}年伤害发生率变化{change:+.1f}%，其中跌倒/坠落仍居伤害原因首位，
**老年人防跌倒**仍是下一阶段的工作重点。

## 四、存在问题和下一步打算

1. 伤害监测报告卡部分字段填写不完整，需加强监测点培训；
2. 部分隐患整改超期，需完善督办机制；
3. 外来务工人员参与宣传培训不足，需创新宣传方式。

下一步，街道将对照[应急管理部](https://www.mem.gov.cn/)发布的安全社区建设要求，持续改进，巩固建设成果。

{OFFICE_NAME}
{y1}年12月
"""


def self_assessment(ctx: Ctx) -> str:
    """The self-assessment report (自评报告) against the 150-point national form."""
    y1 = ctx.years[-1]
    scores, total = self_scores()
    rows = "\n".join(f"| {n} | {label} | {items} | {items * 3} | {score} |"
                     for (n, _, label), items, score in zip(ELEMENTS, SELF_ITEMS, scores, strict=True))
    done = sum(1 for a in ctx.actions if a["done"])
    return f"""# {COMMUNITY_NAME}安全社区自评报告

根据《全国安全社区现场评定表》，{COMMITTEE_NAME}于{y1}年9月组织自评工作组，
对十二个要素、50项二级指标逐项进行自评，自评得分**{total}分**（满分150分）。

!!! note "说明"
    每项二级指标3分，按“有无”“痕迹”“效果”三个方面评分，分别占0.8分、1.0分和1.2分。
    自评所依据的佐证材料均已登记在档案目录中。

## 一、自评组织

自评工作组由委员会副主任任组长，成员包括各工作组组长和办公室人员。自评采取以下方式：

- 查阅档案：逐项核对文件、记录、照片等佐证材料；
- 现场查看：抽查高危场所、项目实施点和应急避难场所；
- 座谈访谈：召开居民、企业和学校代表座谈会；
- 数据分析：分析伤害监测数据和项目指标变化。

## 二、自评结果

| 序号 | 要素 | 二级指标数 | 满分 | 自评得分 |
|---|---|---|---|---|
{rows}
| | **合计** | {sum(SELF_ITEMS)} | {sum(SELF_ITEMS) * 3} | **{total}** |

## 三、主要做法和亮点

1. **组织健全**：委员会、办公室和工作组分工明确，成员调整及时；
2. **诊断扎实**：每年开展社区诊断，项目设计以数据为依据；
3. **项目有效**：老年人防跌倒、道路交通安全等项目指标逐年改善；
4. **持续改进**：评审和检查发现的问题均转为纠正或预防措施，已完成{done}项。

## 四、存在的不足

- 部分项目的效果评价仍以过程指标为主，结果指标的对比分析不够深入；
- 伤害监测数据的职业、活动等字段完整性有待提高；
- 档案电子化程度不高，检索不够方便。

## 五、自评结论

自评认为，{COMMUNITY_NAME}安全社区建设各要素均已达到要求，无零分项，自评得分高于100分，
**具备申请全国安全社区现场评定的条件**。评定标准可参阅[应急管理部网站](https://www.mem.gov.cn/)。

针对自评发现的不足，已制定纠正措施并明确完成期限，详见预防与纠正措施台账。

{COMMITTEE_NAME}自评工作组
{y1}年9月
"""


def write_mkdocs(out: Path) -> None:
    """Plain MkDocs settings; the tool supplies everything else."""
    (out / "mkdocs.yml").write_text(
        "site_name: 清溪街道安全社区建设档案\n"
        "theme:\n"
        "  name: material\n"
        "  palette:\n"
        "    primary: teal\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------------------------

TABLE_NAMES = tuple(TABLES)


def clean_outputs(out: Path) -> None:
    """Remove exactly what this script writes, so a rerun (or a switch csv↔xlsx) is clean."""
    for name in TABLE_NAMES:
        for ext in (".csv", ".xlsx"):
            (out / "data" / f"{name}{ext}").unlink(missing_ok=True)
    for n in SLUG:
        shutil.rmtree(out / "evidence" / SLUG[n], ignore_errors=True)
    for n, slug, _ in ELEMENTS:
        (out / "dossier" / f"{n:02d}-{slug}.yml").unlink(missing_ok=True)
    for page in ("work-report.md", "self-assessment.md"):
        (out / "dossier" / "pages" / page).unlink(missing_ok=True)
    (out / "dossier" / "community.yml").unlink(missing_ok=True)


def check_constants() -> None:
    """Fail fast if an edit to the tables above strays from FORMAT.md's code lists."""
    areas = set(AREAS)
    assert {g[3] for g in GROUPS if g[2] == "专项"} <= areas
    assert {p["area"] for p in PROJECTS} <= {g[3] for g in GROUPS if g[2] == "专项"}
    assert set(HAZARD_CATEGORY_WEIGHTS) <= areas | {"其他"}
    assert set(HAZARD_TEMPLATES) == set(HAZARD_CATEGORY_WEIGHTS)
    assert {t[1] for topics in TRAINING_TOPICS.values() for t in topics} <= set(PARTICIPANTS_BY_KIND)


def generate(out: Path, years: int = 3, end_year: int = 2025, injuries_per_year: int = 750,
             evidence: int = 36, seed: int = 2025, office_quirks: bool = True) -> None:
    """Write a complete dossier into `out` (created if needed).

    `office_quirks` writes hazards as .xlsx, trainings in GB18030 and members with a BOM and
    Chinese headers, as a real office would; turn it off for plain UTF-8 CSV everywhere.
    """
    if years < 1 or injuries_per_year < 1 or evidence < 0:
        raise ValueError("years and injuries_per_year must be ≥ 1, evidence ≥ 0")
    check_constants()
    out = Path(out)
    ctx = Ctx(rng=random.Random(seed), years=list(range(end_year - years + 1, end_year + 1)),
              office_quirks=office_quirks)
    for sub in ("dossier/pages", "data", "evidence"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    clean_outputs(out)
    ctx.stats["self_score"] = round(self_scores()[1] / 150 * 100)
    build_evidence(ctx, evidence)
    build_population(ctx, injuries_per_year)
    build_members(ctx)
    build_meetings(ctx)
    build_injuries(ctx, injuries_per_year)
    injury_stats(ctx)
    build_projects(ctx)
    build_inspections_and_hazards(ctx)
    build_accidents(ctx)
    build_reviews_and_actions(ctx)
    build_trainings(ctx)
    build_plans_and_drills(ctx)
    write_tables(ctx, out)
    write_community(ctx, out)
    write_elements(ctx, out)
    write_pages(ctx, out)
    write_mkdocs(out)
    write_evidence_files(ctx, out)


def generate_history(out: Path, years: int, end_year: int, injuries_per_year: int, evidence: int,
                     seed: int = 2025, office_quirks: bool = False) -> list[str]:
    """A git repository in `out` whose N tags (v<year>) are the dossier after each year.

    Version k covers the first k years; each is committed with a date in its own December, so
    the archive lists them in order. Returns the tags, oldest first.
    """
    import os
    import subprocess

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid")

    def git(*args: str, date: str | None = None) -> None:
        e = dict(env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date) if date else env
        subprocess.run(["git", "-C", str(out), *args], check=True, capture_output=True, env=e)

    git("init", "-q", "-b", "main")
    first = end_year - years + 1
    tags = []
    for k in range(1, years + 1):
        year = first + k - 1
        generate(out, years=k, end_year=year, injuries_per_year=injuries_per_year, evidence=evidence,
                 seed=seed, office_quirks=office_quirks)
        date = f"{year}-12-20T10:00:00+08:00"
        git("add", "-A")
        git("commit", "-q", "-m", f"{year} submission", date=date)
        git("tag", "-a", f"v{year}", "-m", f"{year}年度提交稿", date=date)
        tags.append(f"v{year}")
    return tags


def main(argv: Sequence[str] | None = None) -> int:
    """CLI wrapper around generate(); prints what it wrote and how long it took."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="dossier root to write into")
    ap.add_argument("--years", type=int, default=3, help="cycle length in years (default 3)")
    ap.add_argument("--end-year", type=int, default=2025, help="last cycle year (default 2025)")
    ap.add_argument("--injuries-per-year", type=int, default=750,
                    help="injury records per year (default 750)")
    ap.add_argument("--evidence", type=int, default=36, help="evidence files (default 36)")
    ap.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    ap.add_argument("--plain-tables", action="store_true",
                    help="all tables as UTF-8 CSV with English headers (no xlsx/GB18030/BOM)")
    ap.add_argument("--git-tags", action="store_true",
                    help="make OUT a git repository with one tag per year (version k = first k years)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()  # duration only; never written into any output
    if args.git_tags:
        tags = generate_history(args.out, args.years, args.end_year, args.injuries_per_year, args.evidence,
                                args.seed, office_quirks=not args.plain_tables)
        print(f"{len(tags)} tagged versions written to {args.out} in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)
        return 0
    generate(args.out, years=args.years, end_year=args.end_year,
             injuries_per_year=args.injuries_per_year, evidence=args.evidence, seed=args.seed,
             office_quirks=not args.plain_tables)
    print(f"dossier written to {args.out} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
