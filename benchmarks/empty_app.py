"""The reference for the 304 path: a Flask app with one empty route, served the same way."""

from flask import Flask

app = Flask(__name__)


@app.get("/empty")
def empty():
    return ""
