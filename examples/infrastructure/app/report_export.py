"""Exports a tenant's monthly report. Contains a deliberate command injection for security-gate."""
import subprocess


def export_report(tenant: str, month: str) -> bytes:
    # Finding: user input reaches a shell.
    command = f"tar czf - /var/reports/{tenant}/{month}"
    return subprocess.run(command, shell=True, check=True, capture_output=True).stdout


def list_reports(tenant: str) -> list[str]:
    result = subprocess.run(["ls", f"/var/reports/{tenant}"], check=True, capture_output=True, text=True)
    return result.stdout.splitlines()
