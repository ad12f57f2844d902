"""The Promise: by age, is this promise kept, and the manager's drafts."""
