"""Opt-in IAM enforcement (``tools/scripts/emulator start --enforce-iam``): the emulator authorises requests signed by
IAM role sessions and users as a real account does, so the stack's own IAM policies are tested, not only named.

middleware.py (WSGI) -> request.py (who signed, which parameters) -> authorize.py (actions from sar.py, ARNs from
resources.py, condition keys from context.py, KMS key policies, PassRole and tag-on-create) -> policy.py and
conditions.py (AWS's evaluation logic); state.py reads moto's state; trust.py authorises AssumeRoleWithWebIdentity.
"""
