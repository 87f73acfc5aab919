"""Kaltura's official Python client (../shared/clients/python) against the ktestme sandbox, in
its default format (XML). Prints "ok NAME" or "not ok NAME: why" per step, like interop.js."""
import hashlib
import os
import sys

sys.path.insert(0, os.environ["PYTHON_CLIENT"])
from KalturaClient import KalturaClient, KalturaConfiguration  # noqa: E402
from KalturaClient.exceptions import KalturaException  # noqa: E402
from KalturaClient.Plugins.Core import (  # noqa: E402
    KalturaAppToken, KalturaAppTokenHashType, KalturaCategoryFilter, KalturaCategoryOrderBy,
    KalturaFilterPager, KalturaSessionType)

URL = os.environ["SANDBOX_URL"]
PID = int(os.environ["PARTNER_ID"])
SECRET = os.environ["ADMIN_SECRET"]
PASSWORD = os.environ["ADMIN_PASSWORD"]


def client(ks=None):
    config = KalturaConfiguration()
    config.serviceUrl = URL
    c = KalturaClient(config)
    if ks:
        c.setKs(ks)
    return c


def step(name, fn):
    try:
        fn()
        print("ok " + name)
    except KalturaException as e:
        print("not ok %s: %s %s" % (name, e.code, e.message))
    except Exception as e:  # the step failed, whatever the way
        print("not ok %s: %s %s" % (name, type(e).__name__, str(e)[:300].replace("\n", " ")))


def expect_error(name, code, fn):
    try:
        fn()
        print("not ok %s: no error, expected %s" % (name, code))
    except KalturaException as e:
        print(("ok " + name) if e.code == code else
              "not ok %s: got %s, expected %s" % (name, e.code, code))
    except Exception as e:
        print("not ok %s: %s %s" % (name, type(e).__name__, str(e)[:300]))


def check(cond, why):
    if not cond:
        raise AssertionError(why)


state = {}


def start_admin():
    ks = client().session.start(SECRET, "admin", KalturaSessionType.ADMIN, PID)
    check(isinstance(ks, str) and len(ks) > 20, "no KS: %r" % (ks,))
    state["admin"] = ks


def session_get():
    info = client(state["admin"]).session.get()
    check(info.partnerId == PID, "partnerId %r" % info.partnerId)
    check(info.sessionType.getValue() == KalturaSessionType.ADMIN, "sessionType %r" % info.sessionType)
    check(info.userId == "admin", "userId %r" % info.userId)
    # an empty element, as the server writes a null property: '' rather than NotImplemented
    check(info.ks is not NotImplemented, "ks is NotImplemented")


def start_user():
    state["user"] = client().session.start(SECRET, "bob", KalturaSessionType.USER, PID)


def with_disableentitlement():
    ks = client().session.start(SECRET, "bob", KalturaSessionType.USER, PID, 3600,
                                "disableentitlement")
    cat = client(ks).category.get(2)
    check(cat.id == 2 and cat.privacyContext == "MediaSpace", "category %r" % vars(cat))


def list_full_name():
    f = KalturaCategoryFilter()
    f.fullNameEqual = "Demo"
    lst = client(state["admin"]).category.list(f)
    check(lst.totalCount == 1, "totalCount %r" % lst.totalCount)
    check(lst.objects[0].name == "Demo", "name %r" % lst.objects[0].name)


def list_order():
    f = KalturaCategoryFilter()
    f.fullNameStartsWith = "Demo"
    f.orderBy = KalturaCategoryOrderBy.NAME_DESC
    lst = client(state["admin"]).category.list(f)
    check(lst.totalCount == 2, "totalCount %r" % lst.totalCount)
    check(lst.objects[0].fullName == "Demo>Sub", "first %r" % lst.objects[0].fullName)


def login():
    ks = client().user.loginByLoginId("admin@example.com", PASSWORD, PID)
    check(client(ks).session.get().userId == "admin@example.com", "user")


def app_token():
    t = KalturaAppToken()
    t.hashType = KalturaAppTokenHashType.SHA256
    t.sessionType = KalturaSessionType.USER
    token = client(state["admin"]).appToken.add(t)
    check(len(token.token) == 32, "token %r" % token.token)
    widget = client().session.startWidgetSession("_%d" % PID)
    h = hashlib.sha256((widget.ks + token.token).encode()).hexdigest()
    info = client(widget.ks).appToken.startSession(token.id, h)
    want = "sessionid:%s,apptoken:%s" % (token.id, token.id)
    check(info.privileges.startswith(want), "privileges %r" % info.privileges)
    back = client(info.ks).session.get()
    check(("apptoken:" + token.id) in back.privileges, "privileges %r" % back.privileges)


def multirequest():
    c = client()
    c.startMultiRequest()
    c.session.start(SECRET, "carol", KalturaSessionType.USER, PID)
    c.setKs("{1:result}")  # the second call's KS is the first call's result
    c.session.get()
    r = c.doMultiRequest()
    check(len(r) == 2, "results %r" % (r,))
    check(r[1].userId == "carol", "second %r" % vars(r[1]))


def media_pager():
    ks = client().session.start(SECRET, "admin", KalturaSessionType.ADMIN, PID, 3600,
                                "disableentitlement")
    p = KalturaFilterPager()
    p.pageSize = 2
    p.pageIndex = 2
    lst = client(ks).media.list(None, p)
    check(lst.totalCount == 5, "totalCount %r" % lst.totalCount)
    check(len(lst.objects) == 2, "objects %d" % len(lst.objects))


def end():
    state["ended"] = client().session.start(SECRET, "dave", KalturaSessionType.USER, PID)
    client(state["ended"]).session.end()


step("session.start ADMIN", start_admin)
step("session.get", session_get)
step("session.start USER", start_user)
expect_error("USER session gets CATEGORY_NOT_FOUND", "CATEGORY_NOT_FOUND",
             lambda: client(state["user"]).category.get(2))
step("disableentitlement finds the category", with_disableentitlement)
step("category.list fullNameEqual", list_full_name)
step("category.list fullNameStartsWith, orderBy -name", list_order)
step("user.loginByLoginId", login)
expect_error("a wrong password is refused", "USER_WRONG_PASSWORD",
             lambda: client().user.loginByLoginId("admin@example.com", "not-it-1", PID))
step("appToken.add, startWidgetSession, appToken.startSession (sha256)", app_token)
step("multirequest with a reference", multirequest)
step("media.list with a pager", media_pager)
step("session.end", end)
expect_error("a call with the ended KS is rejected", "INVALID_KS",
             lambda: client(state["ended"]).session.get())
