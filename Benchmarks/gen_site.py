#!/usr/bin/env python3
"""Generate a synthetic Chinese government portal for crawler benchmarks.

usage: gen_site.py N OUTDIR [--seed S]

N pages of about 30 KB each (UTF-8), 40-80 links a page, about 1% of link
targets missing (404). Page 0 is /index.html; page i links to pages 2i+1 and
2i+2, so every page is reachable from the home page (depth ~log2 N), plus random
other pages. Deterministic for a given N and seed.
"""
import os
import random
import sys
import datetime

COLUMNS = [
    ("xwdt", "要闻动态"), ("tzgg", "通知公告"), ("zcwj", "政策文件"),
    ("zwgk", "政府信息公开"), ("rsxx", "人事信息"), ("ghjh", "规划计划"),
    ("zwfw", "政务服务"), ("hdjl", "互动交流"), ("bmdt", "部门动态"),
    ("jcdt", "基层动态"),
]
WORDS = ("推进 落实 全面 深化 改革 工作 部署 会议 召开 专题 学习 贯彻 精神 区委 区政府 "
         "街道 社区 群众 服务 营商环境 优化 提升 质量 发展 高质量 安全生产 检查 督导 "
         "民生 实事 项目 建设 推动 政务公开 标准化 规范化 数字化 治理 能力 城市更新 "
         "老旧小区 综合整治 垃圾分类 接诉即办 企业 政策 兑现 就业 创业 教育 医疗 养老 "
         "文化 体育 生态 环境 保护 绿色 低碳 统筹 协调 联动 机制 完善 制度 责任 考核 "
         "监督 检查 整改 成效 明显 持续 巩固 扎实 有序 稳步 开展 组织 动员 宣传 培训").split()
ZH_TITLES = ["关于", "召开", "开展", "印发", "做好", "加强", "进一步", "组织"]


def paragraph(rng, n_words):
    out = []
    for k in range(n_words):
        out.append(rng.choice(WORDS))
        if k % 9 == 8:
            out.append("，")
    return "".join(out) + "。"


def page_path(i):
    if i == 0:
        return "/index.html"
    col = COLUMNS[i % len(COLUMNS)][0]
    d = BASE_DATE - datetime.timedelta(days=(i * 7919) % 900)
    return "/%s/%04d%02d/t%04d%02d%02d_%d.html" % (col, d.year, d.month, d.year, d.month, d.day, i)


def page_date(i):
    d = BASE_DATE - datetime.timedelta(days=(i * 7919) % 900)
    return d.isoformat()


BASE_DATE = datetime.date(2026, 11, 1)
# links every page carries in header, nav, breadcrumb and footer
FIXED_LINKS = 19
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415478da63f8cfc000000301010018dd8db00000000049454e44ae426082")


def main():
    args = sys.argv[1:]
    seed = 20221028
    if "--seed" in args:
        k = args.index("--seed")
        seed = int(args[k + 1])
        del args[k:k + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    n, outdir = int(args[0]), args[1]
    rng = random.Random(seed)
    pool = [paragraph(rng, rng.randint(60, 120)) for _ in range(400)]
    titles = [rng.choice(ZH_TITLES) + "".join(rng.choice(WORDS) for _ in range(rng.randint(3, 6))) + rng.choice(["的通知", "工作", "的公告", "情况", "会议"]) for _ in range(997)]
    nav = "".join('<li><a href="%s">%s</a></li>' % (page_path(k + 1), COLUMNS[k][1]) for k in range(min(len(COLUMNS), n - 1)))
    header = ('<div class="header"><div class="logo"><a href="/index.html"><img src="/images/logo.png" alt="示范区人民政府"></a></div>'
              '<div class="search"><form action="/search" method="get"><label for="q">站内搜索</label><input id="q" name="q" type="text"><button type="submit">搜索</button></form></div>'
              '<div class="tools"><a href="/index.html">长者模式</a> <a href="/index.html">无障碍</a></div></div>'
              '<div class="nav"><ul><li><a href="/index.html">首页</a></li>' + nav + '</ul></div>')
    footer = ('<div class="footer"><div class="dzjg"><a href="https://bszs.conac.cn/sitename?method=show&amp;id=0000000000000000">'
              '<img src="/images/red.png" alt="党政机关"></a></div><p>主办单位：示范区人民政府办公室　承办单位：示范区政务服务管理局</p>'
              '<p>网站标识码：1101990001　<a href="https://beian.miit.gov.cn/">京ICP备00000000号-1</a>　'
              '<a href="http://www.beian.gov.cn/">京公网安备11019902000001号</a></p>'
              '<p>地址：北京市示范区示范大街1号　邮编：100099　联系电话：010-69990000</p>'
              '<p><a href="https://zfwzzc.www.gov.cn/">我为政府网站找错</a></p></div>')
    missing_counter = 0
    os.makedirs(outdir, exist_ok=True)
    made_dirs = set()
    for i in range(n):
        path = page_path(i)
        title = titles[i % len(titles)] if i else "示范区人民政府"
        nlinks = rng.randint(40, 80)
        targets = [t for t in (2 * i + 1, 2 * i + 2) if t < n]
        links = []
        for t in targets:
            links.append((page_path(t), titles[t % len(titles)], page_date(t)))
        while len(links) < nlinks - FIXED_LINKS:
            if rng.random() < 0.01:
                missing_counter += 1
                m = n + rng.randrange(max(1, n // 10))
                links.append((page_path(m), titles[m % len(titles)], page_date(m)))
            else:
                t = rng.randrange(n)
                links.append((page_path(t), titles[t % len(titles)], page_date(t)))
        items = "".join('<li><a href="%s" title="%s" target="_blank">%s</a><span>%s</span></li>\n' % (u, tt, tt, d) for (u, tt, d) in links)
        body_parts = []
        size = 0
        target_size = rng.randint(5800, 6800)  # characters of body text (~3 bytes each)
        while size < target_size:
            p = pool[rng.randrange(len(pool))]
            body_parts.append("<p>" + p + "</p>\n")
            size += len(p)
        col = COLUMNS[i % len(COLUMNS)][1]
        html = ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<meta name="SiteName" content="示范区人民政府"><meta name="SiteDomain" content="127.0.0.1">'
                '<meta name="SiteIDCode" content="1101990001"><meta name="ColumnName" content="%s">'
                '<meta name="ArticleTitle" content="%s"><meta name="PubDate" content="%s 09:30">'
                '<title>%s_示范区人民政府</title></head><body>\n%s\n'
                '<div class="main"><div class="position">当前位置：<a href="/index.html">首页</a> &gt; %s</div>'
                '<h1>%s</h1><div class="info">发布日期：%s　来源：示范区人民政府办公室</div>\n<div class="content">\n%s</div>\n'
                '<div class="list"><h2>相关信息</h2><ul>\n%s</ul></div></div>\n%s\n</body></html>\n') % (
            col, title, page_date(i), title, header, col, title, page_date(i), "".join(body_parts), items, footer)
        full = os.path.join(outdir, path.lstrip("/"))
        d = os.path.dirname(full)
        if d not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(d)
        with open(full, "w", encoding="utf-8") as f:
            f.write(html)
    # the header logo and footer badge exist: missing targets are only the planted 1%
    os.makedirs(os.path.join(outdir, "images"), exist_ok=True)
    for name in ("logo.png", "red.png"):
        with open(os.path.join(outdir, "images", name), "wb") as f:
            f.write(PNG_1X1)
    with open(os.path.join(outdir, ".generated"), "w") as f:
        f.write("%d %d %d\n" % (n, seed, missing_counter))


if __name__ == "__main__":
    main()
