"""``gkassist user add|list|disable|passwd|link`` and ``gkassist agency add|list``: accounts from the command line.

The database is the one of the app (GKASSIST_DATABASE_URL, else data/gkassist.db). A password
is typed at a hidden prompt (twice) or read from standard input with ``--password-stdin``; it is
never a command-line argument, where it would show in the process list and the shell history.
The storage layer (SQLAlchemy, argon2) is imported when an account command runs, so
registering these commands costs the other commands nothing.
Exit codes: 0 done, 2 a request that cannot be done (a Chinese message says why and what to do).
"""

from __future__ import annotations

import argparse
import getpass
import json
import socket
import sys
from typing import TYPE_CHECKING, Any

from gkassist.account_policy import ROLE_CODES, account_policy

if TYPE_CHECKING:
    from gkassist.access import Actor
    from gkassist.storage.accounts import AccountStore
    from gkassist.storage.identities import IdentityKind

EXIT_OK, EXIT_REFUSED = 0, 2
_STDIN_LIMIT = 8192  # a password line longer than this is not a password


class _InputError(Exception):
    """The command line itself is wrong (no password given, unknown role): nothing was changed."""


def _actor() -> Actor:
    """The command line acts as the machine's administrator: it runs on the server with the
    database's credentials, which is already more than any account could be given. The audit
    trail records the login name and the host."""
    from gkassist.access import Actor

    try:
        name = f"命令行:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name in a bare container
        name = "命令行"
    return Actor(username=name, role="admin", display_name="命令行", source=f"命令行@{socket.gethostname()}")


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline(_STDIN_LIMIT + 1)
        if len(line) > _STDIN_LIMIT:
            raise _InputError("从标准输入读到的密码过长。请只输入一行密码。")
        password = line.rstrip("\r\n")
        if not password:
            raise _InputError("标准输入中没有密码：请在第一行输入密码，例如 printf '%s\\n' \"$PW\" | gkassist user add …")
        return password
    if not sys.stdin.isatty():
        raise _InputError("没有可以输入密码的终端。请在终端中运行此命令，或加上 --password-stdin 从标准输入读入密码。")
    first = getpass.getpass("请输入密码（输入时不显示）：")
    second = getpass.getpass("请再次输入密码：")
    if first != second:
        raise _InputError("两次输入的密码不一致，账号没有改动。请重新运行命令。")
    return first


def _run(action: Any, args: argparse.Namespace) -> int:
    """Run ``action(store, args)``; a refusal or a database failure becomes one Chinese line and exit 2."""
    from gkassist.access import AccessDenied
    from gkassist.storage.accounts import AccountError, AccountStore
    from gkassist.storage.errors import StorageError

    try:
        store = AccountStore()
        action(store, args)
    except (AccountError, AccessDenied, _InputError) as err:
        print(str(err), file=sys.stderr)
        return EXIT_REFUSED
    except StorageError as err:
        print(err.message_zh(), file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


def _user_add(store: AccountStore, args: argparse.Namespace) -> None:
    role = account_policy().role_code(args.role)
    if role is None:
        names = "、".join(account_policy().role_name(c) for c in ROLE_CODES)
        raise _InputError(f"没有“{args.role}”这个角色。可选的角色：{names}。")
    # Checked before the password is asked, so a typo does not cost a password round.
    store.check_new_user(args.username, role, args.agency or (), actor=_actor())
    identities = _identities(store, args)
    password = _read_password(args)
    account = store.add_user(args.username, password, role, args.agency or (), actor=_actor(),
                             display_name=args.display_name)
    where = f"，所属单位：{'、'.join(account.agencies)}" if account.agencies else ""
    print(f"已新增{account.role_zh}账号“{account.username}”{where}。")
    _link(store, account.username, identities)


def _identities(store: AccountStore, args: argparse.Namespace) -> list[tuple[IdentityKind, str]]:
    """The --email / --oidc-subject given, checked (format, not linked to another account)."""
    from gkassist.storage.identities import IdentityStore

    wanted: list[tuple[IdentityKind, str]] = [("email", e) for e in args.email or ()]
    wanted += [("subject", s) for s in args.oidc_subject or ()]
    for kind, value in wanted:
        IdentityStore(store).check_free(kind, value)
    return wanted


def _link(store: AccountStore, username: str, identities: list[tuple[IdentityKind, str]]) -> None:
    from gkassist.storage.identities import KIND_ZH, IdentityStore, normal_identity

    for kind, given in identities:
        value = normal_identity(kind, given)
        IdentityStore(store).link(username, kind, value, actor=_actor().username, source=_actor().source)
        print(f"已将{KIND_ZH[kind]}“{value}”关联到账号“{username}”：可用统一身份认证登录。")


def _user_link(store: AccountStore, args: argparse.Namespace) -> None:
    store.get_user(args.username)
    identities = _identities(store, args)
    if not identities:
        raise _InputError("请用 --email 或 --oidc-subject 指定要关联的统一身份认证身份。")
    _link(store, args.username, identities)


def _user_list(store: AccountStore, args: argparse.Namespace) -> None:
    users = store.list_users(actor=_actor())
    if args.json:
        print(json.dumps([{**u.model_dump(mode="json"), "role_zh": u.role_zh} for u in users], ensure_ascii=False, indent=1))
        return
    if not users:
        print("还没有账号。请先用 gkassist user add 用户名 --role 管理员 创建第一个管理员。")
        return
    print("用户名\t姓名\t角色\t所属单位\t状态")
    for u in users:
        print(f"{u.username}\t{u.display_name or '—'}\t{u.role_zh}\t{'、'.join(u.agencies) or '—'}\t{'已停用' if u.disabled else '正常'}")


def _user_disable(store: AccountStore, args: argparse.Namespace) -> None:
    store.disable_user(args.username, actor=_actor())
    print(f"已停用账号“{args.username}”：该账号不能再登录。")


def _user_passwd(store: AccountStore, args: argparse.Namespace) -> None:
    store.get_user(args.username)  # an unknown name is said before the password is asked
    store.set_password(args.username, _read_password(args), actor=_actor())
    print(f"已修改账号“{args.username}”的密码。")


def _agency_add(store: AccountStore, args: argparse.Namespace) -> None:
    agency = store.add_agency(args.name, actor=_actor())
    print(f"已新增单位“{agency.name}”。")


def _agency_list(store: AccountStore, args: argparse.Namespace) -> None:
    agencies = store.list_agencies()
    if args.json:
        print(json.dumps([a.model_dump(mode="json") for a in agencies], ensure_ascii=False, indent=1))
    elif not agencies:
        print("还没有单位。请用 gkassist agency add 单位全称 添加。")
    else:
        for a in agencies:
            print(a.name)


def _command(action: Any) -> Any:
    return lambda args: _run(action, args)


def _identity_arguments(p: Any) -> None:
    p.add_argument("--email", action="append", help="统一身份认证（OIDC）登录时按此邮箱对应到本账号，可多次使用")
    p.add_argument("--oidc-subject", action="append", help="统一身份认证（OIDC）的用户标识 sub，可多次使用")


def add_account_parsers(subparsers: Any) -> None:
    roles = "、".join(account_policy().role_name(c) for c in ROLE_CODES)

    user = subparsers.add_parser("user", help="管理账号：新增、列出、停用、修改密码")
    user_sub = user.add_subparsers(dest="user_command", required=True, title="账号命令", metavar="账号命令")
    p = user_sub.add_parser("add", help="新增账号（第一个管理员也用它创建）；密码在提示时输入，或用 --password-stdin")
    p.add_argument("username", help="用户名：字母、数字、汉字或 _ . @ -")
    p.add_argument("--role", required=True, help=f"角色：{roles}")
    p.add_argument("--agency", action="append", help="所属单位（填报人）或负责审核的单位（审核人），可多次使用")
    p.add_argument("--display-name", default="", help="姓名")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入的第一行读入密码")
    _identity_arguments(p)
    p.set_defaults(func=_command(_user_add))
    p = user_sub.add_parser("link", help="把统一身份认证的邮箱或用户标识关联到已有账号")
    p.add_argument("username")
    _identity_arguments(p)
    p.set_defaults(func=_command(_user_link))
    p = user_sub.add_parser("list", help="列出全部账号")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=_command(_user_list))
    p = user_sub.add_parser("disable", help="停用账号（停用后不能登录，记录保留）")
    p.add_argument("username")
    p.set_defaults(func=_command(_user_disable))
    p = user_sub.add_parser("passwd", help="修改账号的密码（同时解除登录暂停）")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入的第一行读入密码")
    p.set_defaults(func=_command(_user_passwd))

    agency = subparsers.add_parser("agency", help="管理单位：新增、列出")
    agency_sub = agency.add_subparsers(dest="agency_command", required=True, title="单位命令", metavar="单位命令")
    p = agency_sub.add_parser("add", help="新增单位")
    p.add_argument("name", help="单位全称，如 某某市生态环境局")
    p.set_defaults(func=_command(_agency_add))
    p = agency_sub.add_parser("list", help="列出全部单位")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=_command(_agency_list))
