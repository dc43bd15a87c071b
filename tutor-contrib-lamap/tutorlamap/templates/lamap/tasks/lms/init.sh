# lamap-xblocks: the investigation store's tables. `./manage.py lms migrate` in the platform's
# own task already includes them; this one also serves `do init --limit=lamap` on its own.
dockerize -wait tcp://{{ MYSQL_HOST }}:{{ MYSQL_PORT }} -timeout 20s
./manage.py lms migrate lamap_xblocks
