"""GitOps: which products a change affects, the reviewed change set a merge executes, the sticky PR comment."""
