"""What pyproject.toml cannot say: rules/ and prompts/ stay at the top of the repository,
where the people who maintain the policy data find them, and ship inside the package as
gkassist/rules and gkassist/prompts (data packages; gkassist/paths.py finds them).
Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

DATA_PACKAGES = {"gkassist.rules": "rules", "gkassist.prompts": "prompts"}

setup(
    packages=[*find_packages(include=["gkassist", "gkassist.*"]), *DATA_PACKAGES],
    package_dir=DATA_PACKAGES,
)
